package dev.agentpkg.integrity.deps;

import static dev.agentpkg.integrity.deps.DependencyProblem.BREAKS_DEPENDENT;
import static dev.agentpkg.integrity.deps.DependencyProblem.CYCLE;
import static dev.agentpkg.integrity.deps.DependencyProblem.G0_HAS_DEPENDENCIES;
import static dev.agentpkg.integrity.deps.DependencyProblem.MISSING;
import static dev.agentpkg.integrity.deps.DependencyProblem.SELF_DEPENDENCY;
import static dev.agentpkg.integrity.deps.DependencyProblem.TIER_VIOLATION;
import static dev.agentpkg.integrity.deps.DependencyProblem.VERSION_MISMATCH;

import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.Tier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Dependency rules of SPEC 2.2 and 4 over a set of installed packages; pure, no I/O. Every method
 * is linear in packages plus dependency edges (plus sorting), so it stays fast on large roots.
 *
 * <p>The tier of an installed dependency is the one its registry entry records; for a missing one
 * it is the tier in its id. A collection that lists the same id twice is a caller bug and is
 * refused with {@link IllegalArgumentException}.
 */
public final class DependencyChecker {
  private DependencyChecker() {}

  /**
   * Problems with installing or upgrading {@code candidate} into {@code installed}, where it
   * replaces any installed version of the same id: its own dependencies (installed, in range, tier
   * rule, G0, self), a cycle through it in the resulting graph, and every installed package whose
   * range on {@code candidate.id} the new version does not satisfy. Pre-existing problems that do
   * not involve the candidate are left to {@link #checkAll}. Empty means ok; sorted by {@link
   * DependencyProblem#ORDER}.
   */
  public static List<DependencyProblem> checkInstall(
      InstalledPackage candidate, Collection<InstalledPackage> installed) {
    Objects.requireNonNull(candidate, "candidate");
    PackageIndex byId = PackageIndex.of(installed);
    InstalledPackage previous = byId.put(candidate);
    List<DependencyProblem> problems = new ArrayList<>();
    checkEdges(candidate, byId, problems);
    Graph graph = new Graph(byId);
    List<PackageId> cycle = graph.shortestCycle(graph.index(candidate.id()));
    if (cycle != null) {
      problems.add(cycleProblem(cycle));
    }
    for (InstalledPackage p : byId.values()) {
      if (PackageIndex.same(p.id(), candidate.id())) {
        continue;
      }
      for (Dependency d : p.dependencies()) {
        if (PackageIndex.same(d.id(), candidate.id()) && !d.range().contains(candidate.version())) {
          problems.add(
              new DependencyProblem(
                  BREAKS_DEPENDENT,
                  candidate.id(),
                  p.id(),
                  replacing(candidate, previous)
                      + " would break "
                      + p.id()
                      + " "
                      + p.version()
                      + ", which needs "
                      + d.id()
                      + " "
                      + d.range()));
        }
      }
    }
    return sorted(problems);
  }

  /** Installed packages that depend directly on {@code id} (itself excluded), sorted by id. */
  public static List<PackageId> dependents(PackageId id, Collection<InstalledPackage> installed) {
    Objects.requireNonNull(id, "id");
    Set<PackageId> result = new TreeSet<>();
    for (InstalledPackage p : PackageIndex.of(installed).values()) {
      if (PackageIndex.same(p.id(), id)) {
        continue;
      }
      for (Dependency d : p.dependencies()) {
        if (PackageIndex.same(d.id(), id)) {
          result.add(p.id());
          break;
        }
      }
    }
    return List.copyOf(result);
  }

  /**
   * Every dependency problem of an installed set: missing dependencies, versions out of range, tier
   * violations, G0 packages with dependencies, self-dependencies, and one {@code CYCLE} per group
   * of packages that depend on each other (named from its smallest id). Sorted by {@link
   * DependencyProblem#ORDER}.
   */
  public static List<DependencyProblem> checkAll(Collection<InstalledPackage> installed) {
    PackageIndex byId = PackageIndex.of(installed);
    List<DependencyProblem> problems = new ArrayList<>();
    for (InstalledPackage p : byId.values()) {
      checkEdges(p, byId, problems);
    }
    Graph graph = new Graph(byId);
    for (int[] members : graph.components()) {
      if (members.length > 1) {
        problems.add(cycleProblem(graph.shortestCycle(members[0])));
      }
    }
    return sorted(problems);
  }

  /**
   * The dependency tree of {@code root}, children in id order. A root that is not installed is a
   * single node with a null version. A dependency already on the path from the root is a {@code
   * cycle} node without children. Subtrees of packages on no cycle are shared between their
   * occurrences (they cannot depend on the path above them), so a diamond-heavy graph costs memory
   * linear in its edges even though walking the tree visits every path. A long chain gives a tree
   * as deep as the chain: walk it iteratively (the records' own equals/toString recurse).
   */
  public static DependencyNode tree(PackageId root, Collection<InstalledPackage> installed) {
    Objects.requireNonNull(root, "root");
    PackageIndex byId = PackageIndex.of(installed);
    InstalledPackage r = byId.get(root);
    if (r == null) {
      return new DependencyNode(root, null, null, false, List.of());
    }
    Graph graph = new Graph(byId);
    TreeBuilder builder = new TreeBuilder(byId, graph, graph.onCycle());
    return new DependencyNode(root, r.version(), null, false, builder.children(r));
  }

  /**
   * Every installed package, dependencies before their dependers, ties by id. Missing dependencies
   * are ignored. Packages on a cycle cannot be ordered; each cycle's packages come as a block in id
   * order once everything they depend on is placed ({@link #checkAll} reports the cycle).
   */
  public static List<PackageId> installOrder(Collection<InstalledPackage> installed) {
    return new Graph(PackageIndex.of(installed)).topologicalOrder();
  }

  /** Depth-first with an explicit stack: a long chain of dependencies must not overflow. */
  private static final class TreeBuilder {
    private final PackageIndex byId;
    private final Graph graph;
    private final boolean[] onCycle;
    private final Map<String, List<DependencyNode>> shared = new HashMap<>();
    private final Set<String> path = new HashSet<>();

    TreeBuilder(PackageIndex byId, Graph graph, boolean[] onCycle) {
      this.byId = byId;
      this.graph = graph;
      this.onCycle = onCycle;
    }

    /** One package being expanded: its dependencies in id order and the children built so far. */
    private static final class Frame {
      final InstalledPackage pkg;
      final List<Dependency> deps;
      final List<DependencyNode> built;
      int next;

      Frame(InstalledPackage pkg) {
        this.pkg = pkg;
        List<Dependency> sorted = new ArrayList<>(pkg.dependencies());
        sorted.sort(Comparator.comparing(Dependency::id));
        this.deps = sorted;
        this.built = new ArrayList<>(sorted.size());
      }
    }

    List<DependencyNode> children(InstalledPackage root) {
      Deque<Frame> stack = new ArrayDeque<>();
      stack.push(new Frame(root));
      path.add(root.id().value());
      while (true) {
        Frame top = stack.peek();
        if (top.next < top.deps.size()) {
          Dependency d = top.deps.get(top.next++);
          InstalledPackage target = byId.get(d.id());
          if (target == null) {
            top.built.add(new DependencyNode(d.id(), null, d.range(), false, List.of()));
          } else if (path.contains(d.id().value())) {
            top.built.add(new DependencyNode(d.id(), target.version(), d.range(), true, List.of()));
          } else if (shared.containsKey(d.id().value())) {
            top.built.add(
                new DependencyNode(
                    d.id(), target.version(), d.range(), false, shared.get(d.id().value())));
          } else {
            path.add(d.id().value());
            stack.push(new Frame(target));
          }
          continue;
        }
        stack.pop();
        path.remove(top.pkg.id().value());
        List<DependencyNode> children = List.copyOf(top.built);
        if (!onCycle[graph.index(top.pkg.id())]) {
          shared.put(top.pkg.id().value(), children);
        }
        Frame parent = stack.peek();
        if (parent == null) {
          return children;
        }
        Dependency edge = parent.deps.get(parent.next - 1);
        parent.built.add(
            new DependencyNode(edge.id(), top.pkg.version(), edge.range(), false, children));
      }
    }
  }

  private static void checkEdges(
      InstalledPackage p, PackageIndex byId, List<DependencyProblem> problems) {
    for (Dependency d : p.dependencies()) {
      if (PackageIndex.same(d.id(), p.id())) {
        problems.add(
            new DependencyProblem(
                SELF_DEPENDENCY,
                p.id(),
                d.id(),
                p.id() + " depends on itself (" + wanted(d) + ")"));
        continue;
      }
      if (p.tier() == Tier.G0) {
        // G0 may depend on nothing at all, so the edge's other properties are beside the point.
        problems.add(
            new DependencyProblem(
                G0_HAS_DEPENDENCIES,
                p.id(),
                d.id(),
                "G0 package " + p.id() + " may not have dependencies, but it needs " + wanted(d)));
        continue;
      }
      InstalledPackage target = byId.get(d.id());
      Tier targetTier = target != null ? target.tier() : d.id().tier();
      if (!p.tier().mayDependOn(targetTier)) {
        problems.add(
            new DependencyProblem(
                TIER_VIOLATION,
                p.id(),
                d.id(),
                p.tier()
                    + " package "
                    + p.id()
                    + " may not depend on "
                    + targetTier
                    + " package "
                    + d.id()
                    + " (only on its own tier or a more trusted one)"));
      }
      if (target == null) {
        problems.add(
            new DependencyProblem(
                MISSING,
                p.id(),
                d.id(),
                p.id() + " needs " + wanted(d) + ", but it is not installed"));
      } else if (!d.range().contains(target.version())) {
        problems.add(
            new DependencyProblem(
                VERSION_MISMATCH,
                p.id(),
                d.id(),
                p.id() + " needs " + wanted(d) + ", but " + target.version() + " is installed"));
      }
    }
  }

  // Built only for a problem: rendering every edge's range would dominate a cold run on a large
  // root.
  private static String wanted(Dependency d) {
    return d.id() + " " + d.range();
  }

  private static DependencyProblem cycleProblem(List<PackageId> cycle) {
    return new DependencyProblem(
        CYCLE,
        cycle.get(0),
        cycle.get(1),
        "dependency cycle: "
            + cycle.stream().map(PackageId::toString).collect(Collectors.joining(" -> ")));
  }

  private static String replacing(InstalledPackage candidate, InstalledPackage previous) {
    if (previous == null) {
      return "installing " + candidate.id() + " " + candidate.version();
    }
    int c = candidate.version().compareTo(previous.version());
    String verb = c > 0 ? "upgrading " : c < 0 ? "downgrading " : "replacing ";
    return verb + candidate.id() + " from " + previous.version() + " to " + candidate.version();
  }

  private static List<DependencyProblem> sorted(List<DependencyProblem> problems) {
    List<DependencyProblem> result = new ArrayList<>(new LinkedHashSet<>(problems));
    result.sort(DependencyProblem.ORDER);
    return List.copyOf(result);
  }
}
