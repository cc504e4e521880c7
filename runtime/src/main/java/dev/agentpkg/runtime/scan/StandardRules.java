package dev.agentpkg.runtime.scan;

import static dev.agentpkg.runtime.scan.PolicyRule.allow;
import static dev.agentpkg.runtime.scan.PolicyRule.deny;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard policy's rules. Order matters (first match wins): member exceptions come before the
 * class and package rules they refine, and every JDK namespace ends in a catch-all deny, so nothing
 * of the JDK is allowed unless a rule says so.
 */
final class StandardRules {
  private StandardRules() {}

  static List<String> bootstraps() {
    return List.of(
        "java/lang/invoke/LambdaMetafactory#metafactory",
        "java/lang/invoke/LambdaMetafactory#altMetafactory",
        "java/lang/invoke/StringConcatFactory#makeConcatWithConstants",
        "java/lang/invoke/StringConcatFactory#makeConcat",
        "java/lang/runtime/ObjectMethods#bootstrap",
        "java/lang/runtime/SwitchBootstraps#*");
  }

  static List<String> hosts() {
    return List.of("dev/agentpkg/", "java/", "javax/", "jdk/", "sun/", "com/sun/");
  }

  static List<PolicyRule> rules() {
    List<PolicyRule> r = new ArrayList<>();
    r.add(allow("dev/agentpkg/api/**"));
    javaLang(r);
    javaUtil(r);
    r.add(allow("java/time/**"));
    r.add(allow("java/math/*"));
    r.add(allow("java/text/*"));
    r.add(allow("java/nio/*"));
    r.add(allow("java/nio/charset/*"));
    javaIo(r);
    r.add(deny("network", "java/nio/channels/**"));
    r.add(deny("file", "java/nio/file/**"));
    r.add(deny("network", "java/net/**"));
    r.add(deny("network", "javax/net/**"));
    r.add(deny("unsafe", "sun/**"));
    r.add(deny("unsafe", "jdk/internal/**"));
    r.add(deny("unsafe", "com/sun/**"));
    r.add(deny("environment", "jdk/**"));
    r.add(deny("environment", "java/**"));
    r.add(deny("environment", "javax/**"));
    r.add(deny("environment", "org/w3c/**"));
    r.add(deny("environment", "org/xml/**"));
    r.add(deny("environment", "org/ietf/**"));
    return r;
  }

  private static void members(List<PolicyRule> r, String verdict, String owner, String... names) {
    for (String name : names) {
      r.add(new PolicyRule(verdict, owner, name));
    }
  }

  private static void classes(List<PolicyRule> r, String verdict, String... owners) {
    for (String owner : owners) {
      r.add(new PolicyRule(verdict, owner, null));
    }
  }

  private static void javaLang(List<PolicyRule> r) {
    String system = "java/lang/System";
    members(r, "allow", system, "currentTimeMillis", "nanoTime", "arraycopy");
    members(r, "allow", system, "identityHashCode", "lineSeparator");
    members(r, "exit", system, "exit");
    members(r, "environment", system, "getenv", "getProperty", "setProperty", "getProperties");
    members(r, "environment", system, "setProperties", "clearProperty");
    members(r, "streams", system, "in", "out", "err", "setIn", "setOut", "setErr", "console");
    members(r, "native", system, "load", "loadLibrary", "mapLibraryName");
    members(r, "environment", system, "*");

    String runtime = "java/lang/Runtime";
    members(r, "allow", runtime, "getRuntime", "availableProcessors", "freeMemory");
    members(r, "allow", runtime, "maxMemory", "totalMemory");
    members(r, "process", runtime, "exec");
    members(r, "exit", runtime, "exit", "halt");
    members(r, "native", runtime, "load*");
    members(r, "environment", runtime, "*");

    classes(r, "process", "java/lang/ProcessBuilder", "java/lang/ProcessBuilder$*");
    classes(
        r, "process", "java/lang/Process", "java/lang/ProcessHandle", "java/lang/ProcessHandle$*");

    String thread = "java/lang/Thread";
    members(r, "allow", thread, "currentThread", "sleep", "onSpinWait", "interrupt");
    members(r, "allow", thread, "isInterrupted", "interrupted", "getName");
    members(r, "thread", thread, "*");
    classes(r, "thread", "java/lang/ThreadGroup", "java/lang/InheritableThreadLocal");

    classes(r, "classloader", "java/lang/ClassLoader", "java/lang/ModuleLayer");
    classes(r, "classloader", "java/lang/ModuleLayer$*", "java/lang/Module", "java/lang/Package");

    String type = "java/lang/Class";
    members(r, "classloader", type, "forName", "getClassLoader", "getResource*", "getModule");
    members(r, "classloader", type, "getProtectionDomain", "getSigners");
    members(r, "reflection", type, "getDeclared*", "getMethod", "getMethods", "getField");
    members(r, "reflection", type, "getFields", "getConstructor", "getConstructors");
    members(r, "reflection", type, "getRecordComponents", "newInstance", "getNestHost");
    members(r, "reflection", type, "getNestMembers", "getPermittedSubclasses");

    classes(r, "reflection", "java/lang/StackWalker", "java/lang/StackWalker$*");
    classes(r, "environment", "java/lang/SecurityManager");
    classes(r, "native", "java/lang/Compiler");
    classes(r, "reflection", "java/lang/reflect/**", "java/lang/invoke/**");
    classes(r, "thread", "java/lang/ref/Cleaner", "java/lang/ref/Cleaner$*");
    classes(r, "reflection", "java/lang/ref/**", "java/lang/constant/**", "java/lang/runtime/**");
    classes(r, "classloader", "java/lang/module/**");
    classes(r, "environment", "java/lang/instrument/**", "java/lang/management/**");
    classes(r, "allow", "java/lang/*", "java/lang/annotation/*");
  }

  private static void javaUtil(List<PolicyRule> r) {
    // parallel streams and sorts run on the common fork-join pool's threads
    members(r, "thread", "java/util/**", "parallel*");

    String formatter = "java/util/Formatter";
    members(r, "allow", formatter, "<init>()V", "<init>(Ljava/lang/Appendable;)V");
    members(r, "allow", formatter, "<init>(Ljava/util/Locale;)V");
    members(r, "allow", formatter, "<init>(Ljava/lang/Appendable;Ljava/util/Locale;)V");
    members(r, "file", formatter, "<init>");
    String scanner = "java/util/Scanner";
    members(r, "allow", scanner, "<init>(Ljava/lang/String;)V", "<init>(Ljava/io/InputStream;");
    members(r, "allow", scanner, "<init>(Ljava/lang/Readable;)V");
    members(r, "file", scanner, "<init>");

    classes(r, "classloader", "java/util/ServiceLoader", "java/util/ServiceLoader$*");
    classes(r, "classloader", "java/util/ResourceBundle", "java/util/ResourceBundle$*");
    classes(r, "classloader", "java/util/spi/**");
    classes(r, "thread", "java/util/Timer");
    classes(r, "file", "java/util/prefs/**", "java/util/logging/**");
    classes(r, "file", "java/util/jar/**", "java/util/zip/**");

    String concurrent = "java/util/concurrent/";
    for (String name :
        List.of(
            "Executors",
            "Executors$*",
            "ThreadPoolExecutor",
            "ThreadPoolExecutor$*",
            "ScheduledThreadPoolExecutor",
            "ScheduledThreadPoolExecutor$*",
            "ForkJoin*",
            "RecursiveTask",
            "RecursiveAction",
            "CountedCompleter",
            "ThreadFactory",
            "CompletableFuture",
            "CompletableFuture$*",
            "SubmissionPublisher")) {
      r.add(deny("thread", concurrent + name));
    }
    classes(r, "allow", "java/util/*", "java/util/regex/*", "java/util/function/*");
    classes(r, "allow", "java/util/stream/*", "java/util/concurrent/*");
    classes(r, "allow", "java/util/concurrent/atomic/*", "java/util/concurrent/locks/*");
  }

  private static void javaIo(List<PolicyRule> r) {
    // the String and File constructors open files
    members(r, "allow", "java/io/PrintStream", "<init>(Ljava/io/OutputStream;");
    members(r, "file", "java/io/PrintStream", "<init>");
    members(r, "allow", "java/io/PrintWriter", "<init>(Ljava/io/OutputStream;");
    members(r, "allow", "java/io/PrintWriter", "<init>(Ljava/io/Writer;");
    members(r, "file", "java/io/PrintWriter", "<init>");
    for (String name :
        List.of(
            "InputStream",
            "OutputStream",
            "Reader",
            "Writer",
            "PrintStream",
            "PrintWriter",
            "ByteArrayInputStream",
            "ByteArrayOutputStream",
            "StringReader",
            "StringWriter",
            "BufferedReader",
            "BufferedWriter",
            "BufferedInputStream",
            "BufferedOutputStream",
            "InputStreamReader",
            "OutputStreamWriter",
            "CharArrayReader",
            "CharArrayWriter",
            "DataInput",
            "DataOutput",
            "DataInputStream",
            "DataOutputStream",
            "FilterInputStream",
            "FilterOutputStream",
            "LineNumberReader",
            "PushbackReader",
            "PushbackInputStream",
            "IOException",
            "UncheckedIOException",
            "EOFException",
            "UnsupportedEncodingException",
            "Serializable",
            "Closeable",
            "Flushable")) {
      r.add(allow("java/io/" + name));
    }
    classes(r, "reflection", "java/io/Object*", "java/io/Externalizable");
    classes(r, "streams", "java/io/Console");
    classes(r, "file", "java/io/**");
  }
}
