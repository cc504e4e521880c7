package dev.agentpkg.runtime.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassReader;

/**
 * Checks every class of a package's jars against a {@link ScanPolicy}, so the module API is the
 * only way a module reaches files, processes, the network or the host. Never throws for a hostile
 * or broken jar: that is a {@code malformed} violation. Only I/O errors throw ({@link
 * dev.agentpkg.core.StorageException}).
 */
public final class BytecodeScanner {
  /** How many violations a report lists; all are counted. */
  public static final int REPORTED_VIOLATIONS = 200;

  private static final String VERSIONS = "META-INF/versions/";
  private static final String MANIFEST = "META-INF/MANIFEST.MF";
  private static final List<String> ARCHIVES = List.of(".jar", ".war", ".zip", ".jmod");
  private static final List<String> LIBRARIES = List.of(".so", ".dll", ".dylib", ".jnilib", ".a");

  private final ScanPolicy policy;

  public BytecodeScanner(ScanPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * @param ownJars the package's jars, all scanned
   * @param dependencyJars jars of the packages it depends on: their classes are allowed references,
   *     they are not scanned again here unless also listed in {@code ownJars}
   */
  public ScanReport scan(List<CodeJar> ownJars, List<CodeJar> dependencyJars) {
    Map<String, List<ClassInfo>> defined = new HashMap<>();
    for (CodeJar jar : ownJars) {
      collectDefinitions(jar, defined);
    }
    for (CodeJar jar : dependencyJars) {
      collectDefinitions(jar, defined);
    }
    ReferenceChecker references = new ReferenceChecker(policy, defined);
    Collector collector = new Collector();
    int classes = 0;
    for (CodeJar jar : ownJars) {
      classes += check(jar, references, collector);
    }
    return new ScanReport(
        ownJars.size(),
        classes,
        new ArrayList<>(collector.first),
        policy.sha256(),
        collector.count);
  }

  /** Keeps the first violations in sort order, whatever order they are found in, and counts all. */
  private static final class Collector {
    final TreeSet<Violation> first = new TreeSet<>();
    int count;

    void addAll(Set<Violation> violations) {
      // each set is already unique (one class or one jar's entries), so counting is cheap
      for (Violation v : violations) {
        count++;
        first.add(v);
        if (first.size() > REPORTED_VIOLATIONS) {
          first.pollLast();
        }
      }
    }
  }

  private void collectDefinitions(CodeJar jar, Map<String, List<ClassInfo>> defined) {
    try {
      JarReader.read(
          jar,
          new JarReader.Handler() {
            @Override
            public boolean wantsContent(String name) {
              return name.endsWith(".class");
            }

            @Override
            public void entry(String name, byte[] content) {
              ClassInfo info;
              try {
                info = ClassInfo.of(content);
              } catch (RuntimeException malformed) {
                return; // reported when the jar is checked
              }
              if (info.name() != null
                  && policy.hostNamespace(info.name()) == null
                  && info.name().equals(className(name))) {
                defined.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(info);
              }
            }
          });
    } catch (JarReader.MalformedJarException e) {
      // reported when the jar is checked; a broken dependency just defines fewer classes
    }
  }

  private int check(CodeJar jar, ReferenceChecker references, Collector collector) {
    int[] classes = {0};
    Set<Violation> jarLevel = new LinkedHashSet<>();
    try {
      JarReader.read(
          jar,
          new JarReader.Handler() {
            @Override
            public boolean wantsContent(String name) {
              return name.endsWith(".class") || name.equalsIgnoreCase(MANIFEST);
            }

            @Override
            public void entry(String name, byte[] content) {
              String lower = name.toLowerCase(Locale.ROOT);
              if (ARCHIVES.stream().anyMatch(lower::endsWith)) {
                jarLevel.add(new Violation(jar.name(), name, "nested jar " + name, "nested-jar"));
              } else if (LIBRARIES.stream().anyMatch(lower::endsWith)) {
                jarLevel.add(
                    new Violation(jar.name(), name, "native library " + name, "native-library"));
              } else if (name.equalsIgnoreCase(MANIFEST)) {
                manifest(jar, name, content, jarLevel);
              } else if (name.endsWith(".class")) {
                classes[0]++;
                collector.addAll(checkClass(jar, name, content, references));
              }
            }
          });
    } catch (JarReader.MalformedJarException e) {
      jarLevel.add(new Violation(jar.name(), jar.name(), e.getMessage(), "malformed"));
    }
    collector.addAll(jarLevel);
    return classes[0];
  }

  private static void manifest(CodeJar jar, String name, byte[] content, Set<Violation> out) {
    try {
      String classPath =
          new Manifest(new ByteArrayInputStream(content))
              .getMainAttributes()
              .getValue(Attributes.Name.CLASS_PATH);
      if (classPath != null) {
        out.add(new Violation(jar.name(), name, "Class-Path: " + classPath.strip(), "class-path"));
      }
    } catch (IOException | RuntimeException e) {
      out.add(new Violation(jar.name(), name, "unreadable manifest", "malformed"));
    }
  }

  private Set<Violation> checkClass(
      CodeJar jar, String entry, byte[] content, ReferenceChecker references) {
    Set<Violation> found = new LinkedHashSet<>();
    String suffix = "";
    if (entry.startsWith(VERSIONS)) {
      int end = entry.indexOf('/', VERSIONS.length());
      suffix = " (" + entry.substring(0, Math.max(end, 0)) + ")";
    }
    if (content.length < 10
        || (content[0] & 0xff) != 0xca
        || (content[1] & 0xff) != 0xfe
        || (content[2] & 0xff) != 0xba
        || (content[3] & 0xff) != 0xbe) {
      found.add(new Violation(jar.name(), entry, "not a class file", "malformed"));
      return found;
    }
    try {
      ClassReader reader = new ClassReader(content);
      if (reader.getClassName().equals("module-info")) {
        return found; // read by the module system only, never by a class path loader
      }
      if (!reader.getClassName().equals(className(entry))) {
        found.add(
            new Violation(
                jar.name(),
                entry,
                "class " + reader.getClassName() + " stored under another name",
                "malformed"));
        return found;
      }
      reader.accept(
          new ClassChecker(references, jar.name(), suffix, found),
          ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
    } catch (RuntimeException e) {
      Set<Violation> malformed = new LinkedHashSet<>();
      malformed.add(
          new Violation(
              jar.name(),
              entry,
              "unreadable class file: " + e.getClass().getSimpleName(),
              "malformed"));
      return malformed;
    }
    return found;
  }

  /** {@code a/b/C} for {@code a/b/C.class} or {@code META-INF/versions/17/a/b/C.class}. */
  private static String className(String entry) {
    String name = entry.substring(0, entry.length() - ".class".length());
    if (name.startsWith(VERSIONS)) {
      int end = name.indexOf('/', VERSIONS.length());
      return end < 0 ? name : name.substring(end + 1);
    }
    return name;
  }
}
