package dev.agentpkg.runtime.scan;

import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * One reference (or jar entry) the policy refuses.
 *
 * @param jar the {@link CodeJar#name()} it was found in
 * @param location {@code a.b.C#method(desc)}, {@code a.b.C#field}, {@code a.b.C} or a jar entry
 *     name
 * @param reference what is referred to, e.g. {@code java.io.File#<init>(Ljava/lang/String;)V}, or
 *     what is wrong with the entry, e.g. {@code nested jar lib/x.jar}
 * @param category why it is refused; one of {@link #CATEGORIES}
 */
public record Violation(String jar, String location, String reference, String category)
    implements Comparable<Violation> {

  public static final Set<String> CATEGORIES =
      Set.of(
          "file",
          "network",
          "process",
          "reflection",
          "classloader",
          "thread",
          "native",
          "exit",
          "environment",
          "unsafe",
          "streams",
          "invokedynamic",
          "nested-jar",
          "native-library",
          "class-path",
          "unknown-class",
          "host-namespace",
          "malformed");

  private static final Comparator<Violation> ORDER =
      Comparator.comparing(Violation::jar)
          .thenComparing(Violation::location)
          .thenComparing(Violation::reference)
          .thenComparing(Violation::category);

  public Violation {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(category, "category");
    if (!CATEGORIES.contains(category)) {
      throw new IllegalArgumentException("unknown violation category: " + category);
    }
  }

  /** {@code a.b.C#run(...) -> java.io.File#<init>(...) [file]}. */
  public String describe() {
    return location + " -> " + reference + " [" + category + "]";
  }

  @Override
  public int compareTo(Violation other) {
    return ORDER.compare(this, other);
  }
}
