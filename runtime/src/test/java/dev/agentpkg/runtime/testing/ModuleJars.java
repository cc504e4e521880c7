package dev.agentpkg.runtime.testing;

import dev.agentpkg.api.AgentModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds module jars at test time from Java source strings compiled in memory, so no binary fixture
 * is ever committed. Sources compile against {@code module-api} plus any extra classpath (for
 * example a dependency package's jar).
 *
 * <pre>{@code
 * Path jar = ModuleJars.builder()
 *     .source("demo.Mod", "package demo; public class Mod implements dev.agentpkg.api.AgentModule {"
 *         + " public int run(dev.agentpkg.api.ModuleContext c) { return 3; } }")
 *     .write(dir.resolve("mod.jar"));
 * }</pre>
 */
public final class ModuleJars {
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final Map<String, String> manifestAttributes = new LinkedHashMap<>();
  private final List<Path> classpath = new ArrayList<>();

  private ModuleJars() {}

  public static ModuleJars builder() {
    return new ModuleJars();
  }

  /** Where the compiled module API lives (a directory in the reactor, a jar elsewhere). */
  public static Path moduleApiLocation() {
    return locationOf(AgentModule.class);
  }

  public static Path locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds a compilation unit; {@code className} is the binary name of its top-level class. */
  public ModuleJars source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /** Adds a raw jar entry (a nested jar, a native library, a resource). */
  public ModuleJars entry(String name, byte[] content) {
    entries.put(name, content);
    return this;
  }

  public ModuleJars manifestAttribute(String name, String value) {
    manifestAttributes.put(name, value);
    return this;
  }

  public ModuleJars classpath(Path jarOrDirectory) {
    classpath.add(jarOrDirectory);
    return this;
  }

  /** Compiled class files by entry name ({@code a/b/C.class}), without writing a jar. */
  public Map<String, byte[]> compile() {
    if (sources.isEmpty()) {
      return Map.of();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("tests need a JDK (javax.tools compiler not found)");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null);
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    JavaFileManager manager =
        new ForwardingJavaFileManager<>(standard) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            classes.put(className.replace('.', '/') + ".class", bytes);
            return new SimpleJavaFileObject(
                URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
              @Override
              public OutputStream openOutputStream() {
                return bytes;
              }
            };
          }
        };
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach(
        (name, code) ->
            units.add(
                new SimpleJavaFileObject(
                    URI.create("string:///" + name.replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                  @Override
                  public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                  }
                }));
    List<String> cp = new ArrayList<>();
    cp.add(moduleApiLocation().toString());
    classpath.forEach(p -> cp.add(p.toString()));
    List<String> options =
        List.of("--release", "17", "-proc:none", "-classpath", String.join(":", cp));
    StringWriter log = new StringWriter();
    boolean ok = javac.getTask(log, manager, diagnostics, options, null, units).call();
    if (!ok) {
      throw new IllegalArgumentException(
          "test module sources do not compile: " + diagnostics.getDiagnostics() + log);
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    classes.forEach((name, bytes) -> out.put(name, bytes.toByteArray()));
    return out;
  }

  /** Compiles the sources and writes them, the extra entries and the manifest into {@code jar}. */
  public Path write(Path jar) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifestAttributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
    try {
      Files.createDirectories(jar.toAbsolutePath().getParent());
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
        for (Map.Entry<String, byte[]> e : compile().entrySet()) {
          put(out, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          put(out, e.getKey(), e.getValue());
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(content);
    out.closeEntry();
  }
}
