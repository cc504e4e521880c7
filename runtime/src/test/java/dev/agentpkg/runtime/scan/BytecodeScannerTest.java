package dev.agentpkg.runtime.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.ExitCode;
import dev.agentpkg.runtime.testing.ModuleJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class BytecodeScannerTest {
  static final String JAR = "modules/PKG-T1-DEMO-001/lib/mod.jar";
  static final String RUN = "demo.Mod#run(Ldev/agentpkg/api/ModuleContext;)I";

  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final BytecodeScanner scanner = new BytecodeScanner(ScanPolicy.standard());

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  /** A module whose run method holds {@code body}. */
  static ModuleJars module(String body) {
    return ModuleJars.builder().source("demo.Mod", moduleSource("", body));
  }

  static String moduleSource(String members, String body) {
    return "package demo;\n"
        + "import dev.agentpkg.api.*;\n"
        + "public class Mod implements AgentModule {\n"
        + members
        + "\n  public int run(ModuleContext ctx) throws Exception {\n"
        + body
        + "\n    return 0;\n  }\n}\n";
  }

  CodeJar jar(String name, ModuleJars builder) {
    return new CodeJar(name, builder.write(fs.getPath("/root").resolve(name)));
  }

  ScanReport scan(ModuleJars builder) {
    return scanner.scan(List.of(jar(JAR, builder)), List.of());
  }

  static Violation at(String location, String reference, String category) {
    return new Violation(JAR, location, reference, category);
  }

  @Test
  void aModuleUsingOnlyAllowedApiAndItsDependencyPasses(@TempDir Path tmp) {
    // javac reads its class path from the default file system
    CodeJar dependency =
        new CodeJar(
            "modules/PKG-T1-LIB-001/lib/lib.jar",
            ModuleJars.builder()
                .source(
                    "lib.Util",
                    "package lib; public final class Util {"
                        + " public static String greet(String n) { return \"hi \" + n; } }")
                .write(tmp.resolve("lib.jar")));
    String source =
        String.join(
            "\n",
            "package demo;",
            "import dev.agentpkg.api.*;",
            "import java.io.*;",
            "import java.nio.charset.StandardCharsets;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.ConcurrentHashMap;",
            "import java.util.concurrent.atomic.AtomicInteger;",
            "import java.util.function.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            "public class Mod implements AgentModule {",
            "  record Point(int x, int y) {}",
            "  enum Color { RED, GREEN }",
            "  @Override public int run(ModuleContext ctx) throws Exception {",
            "    List<String> args = new ArrayList<>(ctx.arguments());",
            "    Map<String, Integer> counts = args.stream().collect(Collectors.toMap(",
            "        Function.identity(), String::length, Integer::sum, TreeMap::new));",
            "    Point p = new Point(1, 2);",
            "    StringBuilder sb = new StringBuilder();",
            "    for (Color c : Color.values()) {",
            "      switch (c) { case RED: sb.append('r'); break; default: sb.append('g'); }",
            "    }",
            "    String word = args.isEmpty() ? \"none\" : args.get(0);",
            "    int code = switch (word) { case \"a\" -> 1; case \"b\" -> 2; default -> 0; };",
            "    Duration d = Duration.between(Instant.EPOCH, ctx.clock().instant());",
            "    LocalDate date = LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC);",
            "    Matcher m = Pattern.compile(\"(\\\\d+)\").matcher(\"abc 123\");",
            "    PrintStream out = new PrintStream(ctx.out(), true, StandardCharsets.UTF_8);",
            "    out.println(\"p=\" + p + counts + sb + code + d + date + (m.find() ? m.group(1) : \"\"));",
            "    try { Thread.sleep(1); } catch (InterruptedException e) {",
            "      Thread.currentThread().interrupt(); }",
            "    try (BufferedReader r = new BufferedReader(new StringReader(\"x\\ny\"))) {",
            "      r.lines().forEach(out::println);",
            "    } catch (IOException e) { throw new UncheckedIOException(e); }",
            "    Optional.of(p).map(Point::x).ifPresent(x -> out.println(x + 1));",
            "    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();",
            "    seen.computeIfAbsent(\"k\", k -> new AtomicInteger()).incrementAndGet();",
            "    ctx.evidence().emit(\"demo\", Map.of(\"k\", \"v\"));",
            "    ctx.files().write(\"out/x.txt\", \"x\".getBytes(StandardCharsets.UTF_8));",
            "    out.println(lib.Util.greet(Thread.currentThread().getName()));",
            "    IntStream.range(0, 3).boxed().sorted(Comparator.reverseOrder()).forEach(out::println);",
            "    try { throw new IllegalStateException(\"x\"); }",
            "    catch (IllegalStateException e) { ctx.err().println(e.getMessage()); }",
            "    Object o = p;",
            "    if (o instanceof Point q && q.x() > 0) { out.printf(Locale.ROOT, \"%d%n\", q.y()); }",
            "    return code + Color.valueOf(\"RED\").ordinal() + String.format(Locale.ROOT, \"%s\", word).length();",
            "  }",
            "}");
    CodeJar own =
        jar(JAR, ModuleJars.builder().source("demo.Mod", source).classpath(dependency.file()));

    ScanReport report = scanner.scan(List.of(own), List.of(dependency));

    assertThat(report.violations()).isEmpty();
    assertThat(report.allowed()).isTrue();
    assertThat(report.jars()).isEqualTo(1);
    assertThat(report.classes()).isGreaterThanOrEqualTo(4); // Mod, Point, Color, switch map
    assertThat(report.policySha256()).isEqualTo(ScanPolicy.standard().sha256());

    // without the dependency, its class is a library that is not shipped
    ScanReport alone = scanner.scan(List.of(own), List.of());
    assertThat(alone.violations())
        .contains(at(RUN, "lib.Util#greet(Ljava/lang/String;)Ljava/lang/String;", "unknown-class"));
  }

  @Test
  void newFile() {
    ScanReport report = scan(module("new java.io.File(\"/etc/passwd\").delete();"));
    assertThat(report.allowed()).isFalse();
    assertThat(report.violations())
        .contains(
            at(RUN, "java.io.File", "file"),
            at(RUN, "java.io.File#<init>(Ljava/lang/String;)V", "file"),
            at(RUN, "java.io.File#delete()Z", "file"));
    assertThat(report.violations().get(0).describe()).isEqualTo(RUN + " -> java.io.File [file]");
  }

  @Test
  void nioFiles() {
    ScanReport report =
        scan(module("java.nio.file.Files.readAllBytes(java.nio.file.Path.of(\"x\"));"));
    assertThat(report.violations())
        .contains(
            at(RUN, "java.nio.file.Files#readAllBytes(Ljava/nio/file/Path;)[B", "file"),
            at(
                RUN,
                "java.nio.file.Path#of(Ljava/lang/String;[Ljava/lang/String;)Ljava/nio/file/Path;",
                "file"));
  }

  @Test
  void processBuilder() {
    ScanReport report = scan(module("new ProcessBuilder(\"sh\").start();"));
    assertThat(report.violations())
        .contains(
            at(RUN, "java.lang.ProcessBuilder", "process"),
            at(RUN, "java.lang.ProcessBuilder#<init>([Ljava/lang/String;)V", "process"),
            at(RUN, "java.lang.ProcessBuilder#start()Ljava/lang/Process;", "process"));
  }

  @Test
  void runtimeExec() {
    ScanReport report = scan(module("Runtime.getRuntime().exec(\"sh\");"));
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "java.lang.Runtime#exec(Ljava/lang/String;)Ljava/lang/Process;", "process"));
  }

  @Test
  void systemExit() {
    ScanReport report = scan(module("System.exit(3);"));
    assertThat(report.violations()).containsExactly(at(RUN, "java.lang.System#exit(I)V", "exit"));
    assertThat(report.violationCount()).isEqualTo(1);
  }

  @Test
  void environmentAndProperties() {
    ScanReport report = scan(module("System.getenv(\"HOME\"); System.setProperty(\"a\", \"b\");"));
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "java.lang.System#getenv(Ljava/lang/String;)Ljava/lang/String;", "environment"),
            at(
                RUN,
                "java.lang.System#setProperty(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                "environment"));
  }

  @Test
  void systemOut() {
    ScanReport report = scan(module("System.out.println(\"hi\");"));
    assertThat(report.violations()).containsExactly(at(RUN, "java.lang.System#out", "streams"));
  }

  @Test
  void printStreamOpeningAFile() {
    ScanReport report = scan(module("new java.io.PrintStream(\"out.txt\").println(1);"));
    assertThat(report.violations())
        .containsExactly(at(RUN, "java.io.PrintStream#<init>(Ljava/lang/String;)V", "file"));
  }

  @Test
  void classForName() {
    ScanReport report = scan(module("Class.forName(\"dev.agentpkg.registry.Root\");"));
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "java.lang.Class#forName(Ljava/lang/String;)Ljava/lang/Class;", "classloader"));
  }

  @Test
  void setAccessible() {
    ScanReport report =
        scan(
            module(
                "java.lang.reflect.Field f = String.class.getDeclaredField(\"value\");"
                    + " f.setAccessible(true);"));
    assertThat(report.violations())
        .contains(
            at(
                RUN,
                "java.lang.Class#getDeclaredField(Ljava/lang/String;)Ljava/lang/reflect/Field;",
                "reflection"),
            at(RUN, "java.lang.reflect.Field#setAccessible(Z)V", "reflection"));
  }

  @Test
  void privateLookupIn() {
    ScanReport report =
        scan(
            module(
                "java.lang.invoke.MethodHandles.privateLookupIn(String.class,"
                    + " java.lang.invoke.MethodHandles.lookup());"));
    assertThat(report.violations())
        .contains(
            at(
                RUN,
                "java.lang.invoke.MethodHandles#privateLookupIn(Ljava/lang/Class;"
                    + "Ljava/lang/invoke/MethodHandles$Lookup;)Ljava/lang/invoke/MethodHandles$Lookup;",
                "reflection"),
            at(
                RUN,
                "java.lang.invoke.MethodHandles#lookup()Ljava/lang/invoke/MethodHandles$Lookup;",
                "reflection"));
  }

  @Test
  void classLoaders() {
    ScanReport report =
        scan(module("ClassLoader.getSystemClassLoader(); getClass().getClassLoader();"));
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "java.lang.Class#getClassLoader()Ljava/lang/ClassLoader;", "classloader"),
            at(
                RUN,
                "java.lang.ClassLoader#getSystemClassLoader()Ljava/lang/ClassLoader;",
                "classloader"));
  }

  @Test
  void newThread() {
    ScanReport report = scan(module("new Thread(() -> {}).start();"));
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "java.lang.Thread#<init>(Ljava/lang/Runnable;)V", "thread"),
            at(RUN, "java.lang.Thread#start()V", "thread"));
  }

  @Test
  void executors() {
    ScanReport report = scan(module("java.util.concurrent.Executors.newFixedThreadPool(2);"));
    assertThat(report.violations())
        .containsExactly(
            at(
                RUN,
                "java.util.concurrent.Executors#newFixedThreadPool(I)"
                    + "Ljava/util/concurrent/ExecutorService;",
                "thread"));
  }

  @Test
  void parallelStreamReachedThroughAnOwnSubclass() {
    ScanReport report =
        scan(
            ModuleJars.builder()
                .source(
                    "demo.Mod",
                    moduleSource(
                        "static class Box extends java.util.ArrayList<String> {}",
                        "new Box().parallelStream().count();")));
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "java.util.ArrayList#parallelStream()Ljava/util/stream/Stream;", "thread"));
  }

  @Test
  void socket() {
    ScanReport report = scan(module("new java.net.Socket(\"example.org\", 80).close();"));
    assertThat(report.violations())
        .contains(
            at(RUN, "java.net.Socket", "network"),
            at(RUN, "java.net.Socket#<init>(Ljava/lang/String;I)V", "network"));
  }

  @Test
  void sunMiscUnsafe() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "demo/Peek", null, "java/lang/Object", null);
    MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "go", "()V", null, null);
    mv.visitCode();
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC, "sun/misc/Unsafe", "getUnsafe", "()Lsun/misc/Unsafe;", false);
    mv.visitInsn(Opcodes.POP);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    ScanReport report = scan(module("").entry("demo/Peek.class", cw.toByteArray()));
    assertThat(report.violations())
        .containsExactly(
            new Violation(
                JAR, "demo.Peek#go()V", "sun.misc.Unsafe#getUnsafe()Lsun/misc/Unsafe;", "unsafe"));
  }

  @Test
  void methodReferenceToSystemExit() {
    ScanReport report =
        scan(module("java.util.function.IntConsumer c = System::exit; c.accept(1);"));
    assertThat(report.violations()).containsExactly(at(RUN, "java.lang.System#exit(I)V", "exit"));
  }

  @Test
  void nonStandardBootstrap() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "demo/Indy", null, "java/lang/Object", null);
    String bsmDesc =
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
            + "Ljava/lang/invoke/CallSite;";
    MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "go", "()V", null, null);
    mv.visitCode();
    mv.visitInvokeDynamicInsn(
        "anything", "()V", new Handle(Opcodes.H_INVOKESTATIC, "demo/Indy", "boot", bsmDesc, false));
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    ScanReport report = scan(module("").entry("demo/Indy.class", cw.toByteArray()));
    assertThat(report.violations())
        .containsExactly(
            new Violation(
                JAR, "demo.Indy#go()V", "bootstrap demo.Indy#boot" + bsmDesc, "invokedynamic"));
  }

  @Test
  void nativeMethod() {
    ScanReport report =
        scan(ModuleJars.builder().source("demo.Mod", moduleSource("native int peek();", "")));
    assertThat(report.violations())
        .containsExactly(at("demo.Mod#peek()I", "native method", "native"));
  }

  @Test
  void nestedJarNativeLibraryAndClassPath() {
    ScanReport report =
        scan(
            module("")
                .entry("lib/x.jar", new byte[] {'P', 'K', 3, 4})
                .entry("native/libx.so", new byte[] {0x7f, 'E', 'L', 'F'})
                .manifestAttribute("Class-Path", "../../other/evil.jar"));
    assertThat(report.violations())
        .containsExactly(
            at("META-INF/MANIFEST.MF", "Class-Path: ../../other/evil.jar", "class-path"),
            at("lib/x.jar", "nested jar lib/x.jar", "nested-jar"),
            at("native/libx.so", "native library native/libx.so", "native-library"));
  }

  @Test
  void hostClassesAreNeitherReachableNorDefinable() {
    ClassWriter cw = new ClassWriter(0);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "java/util/Evil", null, "java/lang/Object", null);
    cw.visitEnd();
    ScanReport report =
        scan(
            module(
                    "ctx.out().println(dev.agentpkg.core.ExitCode.OK);"
                        + " new dev.agentpkg.registry.Root();")
                .classpath(ModuleJars.locationOf(ExitCode.class))
                .source(
                    "dev.agentpkg.registry.Root",
                    "package dev.agentpkg.registry; public class Root {}")
                .entry("java/util/Evil.class", cw.toByteArray()));
    // a class the jar defines in a host namespace does not make references to it resolve
    assertThat(report.violations())
        .containsExactly(
            at(RUN, "dev.agentpkg.core.ExitCode#OK", "unknown-class"),
            at(RUN, "dev.agentpkg.registry.Root", "unknown-class"),
            at(RUN, "dev.agentpkg.registry.Root#<init>()V", "unknown-class"),
            new Violation(
                JAR,
                "dev.agentpkg.registry.Root",
                "defines a class in dev/agentpkg/",
                "host-namespace"),
            new Violation(JAR, "java.util.Evil", "defines a class in java/", "host-namespace"));
  }

  @Test
  void multiReleaseClassesAreScannedToo() {
    Map<String, byte[]> escaping = module("System.exit(1);").compile();
    ScanReport report =
        scan(
            module("")
                .manifestAttribute("Multi-Release", "true")
                .entry("META-INF/versions/17/demo/Mod.class", escaping.get("demo/Mod.class")));
    assertThat(report.violations())
        .containsExactly(at(RUN + " (META-INF/versions/17)", "java.lang.System#exit(I)V", "exit"));
    assertThat(report.classes()).isEqualTo(2);
  }

  @Test
  void malformedClassesAndJarsAreViolationsNotExceptions() throws IOException {
    byte[] truncated = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 0, 99, 7};
    ScanReport report =
        scan(
            module("")
                .entry("demo/Bad.class", truncated)
                .entry("demo/Text.class", "hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(report.violations())
        .extracting(Violation::location, Violation::category)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("demo/Bad.class", "malformed"),
            org.assertj.core.groups.Tuple.tuple("demo/Text.class", "malformed"));

    Path junk = fs.getPath("/junk.jar");
    Files.write(junk, "#!/bin/sh\nexec java -jar $0\n".getBytes(StandardCharsets.UTF_8));
    ScanReport notZip = scanner.scan(List.of(new CodeJar("lib/junk.jar", junk)), List.of());
    assertThat(notZip.violations())
        .containsExactly(
            new Violation(
                "lib/junk.jar",
                "lib/junk.jar",
                "does not start with a zip local file header",
                "malformed"));

    // a zip cut short in the middle of an entry
    byte[] whole = Files.readAllBytes(module("System.exit(1);").write(fs.getPath("/w.jar")));
    Path cut = fs.getPath("/cut.jar");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    ScanReport cutReport = scanner.scan(List.of(new CodeJar("lib/cut.jar", cut)), List.of());
    assertThat(cutReport.allowed()).isFalse();
    assertThat(cutReport.violations()).extracting(Violation::category).contains("malformed");
  }

  @Test
  void anEntryOnlyTheCentralDirectoryReachesIsMalformed(@TempDir Path tmp) throws IOException {
    byte[] jar =
        Files.readAllBytes(
            module("")
                .source(
                    "other.Escape",
                    "package other; public class Escape {" + " static { System.exit(9); } }")
                .write(fs.getPath("/plain.jar")));
    // junk before the last local header ends a stream reader early; a class loader, which
    // follows the central directory, still finds the entry once its offsets are moved along
    int directory = lastIndexOf(jar, new byte[] {'P', 'K', 1, 2});
    int lastLocal = lastIndexOf(jar, new byte[] {'P', 'K', 3, 4});
    int end = lastIndexOf(jar, new byte[] {'P', 'K', 5, 6});
    java.nio.ByteBuffer patched =
        java.nio.ByteBuffer.allocate(jar.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    patched.put(jar, 0, lastLocal).put("JUNK".getBytes(StandardCharsets.US_ASCII));
    patched.put(jar, lastLocal, jar.length - lastLocal);
    patched.putInt(directory + 4 + 42, patched.getInt(directory + 4 + 42) + 4);
    patched.putInt(end + 4 + 16, patched.getInt(end + 4 + 16) + 4);
    Path smuggled = tmp.resolve("smuggled.jar");
    Files.write(smuggled, patched.array());
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(smuggled.toFile())) {
      assertThat(zip.getEntry("other/Escape.class")).isNotNull();
      assertThat(zip.getInputStream(zip.getEntry("other/Escape.class")).readAllBytes())
          .startsWith(0xca, 0xfe, 0xba, 0xbe);
    }

    ScanReport report = scanner.scan(List.of(new CodeJar("lib/s.jar", smuggled)), List.of());

    assertThat(report.allowed()).isFalse();
    assertThat(report.violations())
        .containsExactly(
            new Violation(
                "lib/s.jar",
                "lib/s.jar",
                "central directory lists 3 entries, the archive holds 2",
                "malformed"));
  }

  private static int lastIndexOf(byte[] data, byte[] needle) {
    for (int i = data.length - needle.length; i >= 0; i--) {
      if (java.util.Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  @Test
  void aMissingJarIsAStorageError() {
    CodeJar missing = new CodeJar("lib/missing.jar", fs.getPath("/nope.jar"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> scanner.scan(List.of(missing), List.of()))
        .isInstanceOf(dev.agentpkg.core.StorageException.class)
        .hasMessageContaining("lib/missing.jar");
  }

  @Test
  void violationsAreSortedTheSameWhateverTheJarOrder() {
    CodeJar a = jar("modules/A/lib/a.jar", module("System.exit(1); System.getenv(\"X\");"));
    CodeJar b =
        jar(
            "modules/A/lib/b.jar",
            ModuleJars.builder()
                .source(
                    "other.Escape",
                    "package other; public class Escape { void a() throws Exception {"
                        + " Runtime.getRuntime().exec(\"sh\"); } void b() { System.exit(2); } }"));
    ScanReport forward = scanner.scan(List.of(a, b), List.of());
    ScanReport backward = scanner.scan(List.of(b, a), List.of());
    assertThat(forward.violations()).isEqualTo(backward.violations()).hasSize(4);
    List<Violation> sorted = new ArrayList<>(forward.violations());
    sorted.sort(null);
    assertThat(forward.violations()).isEqualTo(sorted);
    assertThat(forward.violations().get(0).jar()).isEqualTo("modules/A/lib/a.jar");
  }

  @Test
  void manyViolationsAreCappedButCounted() {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      members
          .append("void m")
          .append(1000 + i)
          .append("() { System.exit(")
          .append(i)
          .append("); }\n");
    }
    ScanReport report =
        scan(ModuleJars.builder().source("demo.Mod", moduleSource(members.toString(), "")));
    assertThat(report.violationCount()).isEqualTo(250);
    assertThat(report.violations()).hasSize(BytecodeScanner.REPORTED_VIOLATIONS);
    assertThat(report.violations().get(0).location()).isEqualTo("demo.Mod#m1000()V");
    assertThat(report.violations().get(199).location()).isEqualTo("demo.Mod#m1199()V");
    assertThat(report.allowed()).isFalse();
  }
}
