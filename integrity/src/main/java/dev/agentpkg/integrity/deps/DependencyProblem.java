package dev.agentpkg.integrity.deps;

import dev.agentpkg.integrity.manifest.PackageId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One dependency problem. {@code pkg} is the package at fault (the depender, the package being
 * installed for {@link #BREAKS_DEPENDENT}, the first package of a {@link #CYCLE}); {@code other} is
 * the package on the other end of the offending edge, or null when there is none.
 */
public record DependencyProblem(String kind, PackageId pkg, PackageId other, String message) {
  public static final String MISSING = "MISSING";
  public static final String VERSION_MISMATCH = "VERSION_MISMATCH";
  public static final String TIER_VIOLATION = "TIER_VIOLATION";
  public static final String CYCLE = "CYCLE";
  public static final String G0_HAS_DEPENDENCIES = "G0_HAS_DEPENDENCIES";
  public static final String SELF_DEPENDENCY = "SELF_DEPENDENCY";
  public static final String BREAKS_DEPENDENT = "BREAKS_DEPENDENT";

  /** Every kind, in the order problems of one package are reported. */
  public static final List<String> KINDS =
      List.of(
          MISSING,
          VERSION_MISMATCH,
          TIER_VIOLATION,
          CYCLE,
          G0_HAS_DEPENDENCIES,
          SELF_DEPENDENCY,
          BREAKS_DEPENDENT);

  /** By package, then kind (in {@link #KINDS} order), then other package, then message. */
  public static final Comparator<DependencyProblem> ORDER =
      Comparator.comparing(DependencyProblem::pkg)
          .thenComparingInt(p -> KINDS.indexOf(p.kind()))
          .thenComparing(DependencyProblem::other, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(DependencyProblem::message);

  public DependencyProblem {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown dependency problem kind " + kind);
    }
    Objects.requireNonNull(pkg, "pkg");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
