package dev.agentpkg.integrity.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.VersionRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DependencyCheckerTest {
  private static final String EVIDENCE = "PKG-T0-EVIDENCE-001";
  private static final String RUNTIME = "PKG-T1-RUNTIME-001";

  /** {@code pkg("PKG-T1-A-001", "1.0.0", "PKG-T0-B-001 >=1.0.0 <2.0.0", ...)}; tier from the id. */
  static InstalledPackage pkg(String id, String version, String... deps) {
    List<Dependency> list = new ArrayList<>();
    for (String d : deps) {
      int space = d.indexOf(' ');
      list.add(
          new Dependency(
              PackageId.of(d.substring(0, space)), VersionRange.parse(d.substring(space + 1))));
    }
    PackageId pid = PackageId.of(id);
    return new InstalledPackage(pid, SemVer.parse(version), pid.tier(), list);
  }

  static PackageId id(String s) {
    return PackageId.of(s);
  }

  @Test
  void missingDependencyIsNamedWithItsRange() {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg(RUNTIME, "1.0.0", EVIDENCE + " >=0.1.0 <1.0.0"), List.of());

    assertThat(problems)
        .containsExactly(
            new DependencyProblem(
                "MISSING",
                id(RUNTIME),
                id(EVIDENCE),
                "PKG-T1-RUNTIME-001 needs PKG-T0-EVIDENCE-001 >=0.1.0 <1.0.0, but it is not installed"));
  }

  @ParameterizedTest(name = "{0} installed, wants {1}: problem {2}")
  @CsvSource({
    "1.2.0, '>=0.1.0 <1.0.0', VERSION_MISMATCH",
    "0.0.9, '>=0.1.0 <1.0.0', VERSION_MISMATCH",
    "1.0.0, '>=0.1.0 <1.0.0', VERSION_MISMATCH",
    "0.1.0, '>=0.1.0 <1.0.0', ''",
    "0.9.9, '>=0.1.0 <1.0.0', ''",
    "1.2.0, '1.2.0', ''",
    "1.2.1, '1.2.0', VERSION_MISMATCH",
  })
  void dependencyVersionMustBeInsideTheRange(String installed, String range, String kind) {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg(RUNTIME, "1.0.0", EVIDENCE + " " + range), List.of(pkg(EVIDENCE, installed)));

    if (kind.isEmpty()) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems)
          .extracting(DependencyProblem::kind, DependencyProblem::pkg, DependencyProblem::other)
          .containsExactly(tuple(kind, id(RUNTIME), id(EVIDENCE)));
    }
  }

  @Test
  void versionMismatchMessageNamesBothPackagesAndVersions() {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg(RUNTIME, "1.0.0", EVIDENCE + " >=0.1.0 <1.0.0"), List.of(pkg(EVIDENCE, "1.2.0")));

    assertThat(problems)
        .extracting(DependencyProblem::message)
        .containsExactly(
            "PKG-T1-RUNTIME-001 needs PKG-T0-EVIDENCE-001 >=0.1.0 <1.0.0, but 1.2.0 is installed");
  }

  @ParameterizedTest(name = "{0} -> {1}: allowed {2}")
  @CsvSource({
    "PKG-T0-A-001, PKG-T1-B-001, false",
    "PKG-T1-A-001, PKG-T0-B-001, true",
    "PKG-T1-A-001, PKG-T1-B-001, true",
    "PKG-T0-A-001, PKG-G0-B-001, true",
    "PKG-T3-A-001, PKG-G0-B-001, true",
    "PKG-T1-A-001, PKG-T2-B-001, false",
    "PKG-T2-A-001, PKG-T3-B-001, false",
    "PKG-T3-A-001, PKG-T3-B-001, true",
  })
  void dependencyMustBeEquallyOrMoreTrusted(String from, String to, boolean allowed) {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg(from, "1.0.0", to + " >=1.0.0"), List.of(pkg(to, "1.0.0")));

    if (allowed) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems)
          .extracting(DependencyProblem::kind, DependencyProblem::pkg, DependencyProblem::other)
          .containsExactly(tuple("TIER_VIOLATION", id(from), id(to)));
      assertThat(problems.get(0).message())
          .contains(from, to)
          .contains(id(from).tier() + " package")
          .contains(id(to).tier() + " package");
    }
  }

  @Test
  void g0MayNotHaveAnyDependencyAndIsNotAlsoReportedAsTierViolation() {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg("PKG-G0-GENESIS-001", "1.0.0", "PKG-G0-OTHER-001 >=1.0.0"),
            List.of(pkg("PKG-G0-OTHER-001", "1.0.0")));

    assertThat(problems)
        .containsExactly(
            new DependencyProblem(
                "G0_HAS_DEPENDENCIES",
                id("PKG-G0-GENESIS-001"),
                id("PKG-G0-OTHER-001"),
                "G0 package PKG-G0-GENESIS-001 may not have dependencies, but it needs"
                    + " PKG-G0-OTHER-001 >=1.0.0"));
  }

  @Test
  void selfDependencyIsReportedOnceAndNotAsCycle() {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(pkg(RUNTIME, "1.0.0", RUNTIME + " >=1.0.0"), List.of());

    assertThat(problems)
        .extracting(DependencyProblem::kind, DependencyProblem::pkg, DependencyProblem::message)
        .containsExactly(
            tuple(
                "SELF_DEPENDENCY",
                id(RUNTIME),
                "PKG-T1-RUNTIME-001 depends on itself (PKG-T1-RUNTIME-001 >=1.0.0)"));
  }

  @Test
  void twoCycleIsNamedFromTheCandidate() {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg("PKG-T1-A-001", "1.0.0", "PKG-T1-B-001 >=1.0.0"),
            List.of(pkg("PKG-T1-B-001", "1.0.0", "PKG-T1-A-001 >=1.0.0")));

    assertThat(problems)
        .containsExactly(
            new DependencyProblem(
                "CYCLE",
                id("PKG-T1-A-001"),
                id("PKG-T1-B-001"),
                "dependency cycle: PKG-T1-A-001 -> PKG-T1-B-001 -> PKG-T1-A-001"));
  }

  @Test
  void threeCycleIsNamedInOrderAlongTheEdges() {
    // Ids chosen so that path order differs from id order: C -> A -> B -> C.
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg("PKG-T1-C-001", "1.0.0", "PKG-T1-A-001 >=1.0.0"),
            List.of(
                pkg("PKG-T1-A-001", "1.0.0", "PKG-T1-B-001 >=1.0.0"),
                pkg("PKG-T1-B-001", "1.0.0", "PKG-T1-C-001 >=1.0.0"),
                pkg("PKG-T1-D-001", "1.0.0", "PKG-T1-C-001 >=1.0.0")));

    assertThat(problems)
        .extracting(DependencyProblem::kind, DependencyProblem::message)
        .containsExactly(
            tuple(
                "CYCLE",
                "dependency cycle: PKG-T1-C-001 -> PKG-T1-A-001 -> PKG-T1-B-001 -> PKG-T1-C-001"));
  }

  @Test
  void upgradeThatTakesTheVersionOutOfADependentsRangeBreaksIt() {
    List<InstalledPackage> installed =
        List.of(
            pkg(EVIDENCE, "0.5.0"),
            pkg(RUNTIME, "1.0.0", EVIDENCE + " >=0.1.0 <1.0.0"),
            pkg("PKG-T2-TOOLS-001", "1.0.0", EVIDENCE + " >=0.1.0"));

    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(pkg(EVIDENCE, "1.2.0"), installed);

    assertThat(problems)
        .containsExactly(
            new DependencyProblem(
                "BREAKS_DEPENDENT",
                id(EVIDENCE),
                id(RUNTIME),
                "upgrading PKG-T0-EVIDENCE-001 from 0.5.0 to 1.2.0 would break"
                    + " PKG-T1-RUNTIME-001 1.0.0, which needs PKG-T0-EVIDENCE-001 >=0.1.0 <1.0.0"));
  }

  @Test
  void upgradeThatKeepsEveryDependentSatisfiedIsFine() {
    List<InstalledPackage> installed =
        List.of(
            pkg(EVIDENCE, "0.5.0"),
            pkg(RUNTIME, "1.0.0", EVIDENCE + " >=0.1.0 <1.0.0"),
            pkg("PKG-T2-TOOLS-001", "1.0.0", EVIDENCE + " >=0.5.0"));

    assertThat(DependencyChecker.checkInstall(pkg(EVIDENCE, "0.9.0"), installed)).isEmpty();
  }

  @Test
  void upgradedCandidateIsCheckedWithItsNewDependenciesNotTheOldOnes() {
    List<InstalledPackage> installed =
        List.of(pkg("PKG-T0-OLD-001", "1.0.0"), pkg(RUNTIME, "1.0.0", "PKG-T0-OLD-001 >=1.0.0"));

    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(pkg(RUNTIME, "2.0.0", EVIDENCE + " >=1.0.0"), installed);

    assertThat(problems)
        .extracting(DependencyProblem::kind, DependencyProblem::other)
        .containsExactly(tuple("MISSING", id(EVIDENCE)));
  }

  @Test
  void downgradeBreakingADependentSaysDowngrading() {
    List<DependencyProblem> problems =
        DependencyChecker.checkInstall(
            pkg(EVIDENCE, "1.0.0"),
            List.of(pkg(EVIDENCE, "2.0.0"), pkg(RUNTIME, "1.0.0", EVIDENCE + " >=2.0.0")));

    assertThat(problems)
        .extracting(DependencyProblem::message)
        .singleElement()
        .asString()
        .startsWith("downgrading PKG-T0-EVIDENCE-001 from 2.0.0 to 1.0.0 would break");
  }

  @Test
  void allProblemsOfOneInstallAreReportedInADeterministicOrder() {
    InstalledPackage candidate =
        pkg(
            "PKG-T0-X-001",
            "2.0.0",
            "PKG-T1-HIGHER-001 >=1.0.0",
            "PKG-T0-GONE-001 >=1.0.0",
            "PKG-T0-OLD-001 >=2.0.0");
    List<InstalledPackage> installed =
        new ArrayList<>(
            List.of(
                pkg("PKG-T1-HIGHER-001", "1.0.0"),
                pkg("PKG-T0-OLD-001", "1.0.0"),
                pkg("PKG-T0-X-001", "1.0.0"),
                pkg("PKG-T1-USER-001", "1.0.0", "PKG-T0-X-001 <2.0.0")));

    List<DependencyProblem> first = DependencyChecker.checkInstall(candidate, installed);
    Collections.reverse(installed);
    List<DependencyProblem> second = DependencyChecker.checkInstall(candidate, installed);

    assertThat(first).isEqualTo(second);
    assertThat(first)
        .extracting(DependencyProblem::kind, DependencyProblem::other)
        .containsExactly(
            tuple("MISSING", id("PKG-T0-GONE-001")),
            tuple("VERSION_MISMATCH", id("PKG-T0-OLD-001")),
            tuple("TIER_VIOLATION", id("PKG-T1-HIGHER-001")),
            tuple("BREAKS_DEPENDENT", id("PKG-T1-USER-001")));
  }

  @Test
  void dependentsAreTheDirectDependersSortedById() {
    List<InstalledPackage> installed =
        List.of(
            pkg(EVIDENCE, "1.0.0"),
            pkg("PKG-T2-ZED-001", "1.0.0", EVIDENCE + " >=1.0.0"),
            pkg(RUNTIME, "1.0.0", EVIDENCE + " >=1.0.0"),
            pkg("PKG-T2-INDIRECT-001", "1.0.0", RUNTIME + " >=1.0.0"),
            pkg("PKG-T1-UNRELATED-001", "1.0.0"));

    assertThat(DependencyChecker.dependents(id(EVIDENCE), installed))
        .containsExactly(id(RUNTIME), id("PKG-T2-ZED-001"));
    assertThat(DependencyChecker.dependents(id(RUNTIME), installed))
        .containsExactly(id("PKG-T2-INDIRECT-001"));
    assertThat(DependencyChecker.dependents(id("PKG-T1-UNRELATED-001"), installed)).isEmpty();
  }

  @Test
  void checkAllOnAConsistentSetIsEmpty() {
    assertThat(DependencyChecker.checkAll(diamond())).isEmpty();
    assertThat(DependencyChecker.checkAll(List.of())).isEmpty();
  }

  @Test
  void checkAllReportsEveryProblemOfABrokenSet() {
    List<InstalledPackage> installed =
        List.of(
            pkg("PKG-G0-GENESIS-001", "1.0.0", "PKG-T0-BASE-001 1.0.0"),
            pkg("PKG-T0-BASE-001", "1.0.0", "PKG-T1-RUNTIME-001 >=1.0.0"),
            pkg(RUNTIME, "1.0.0", "PKG-T0-GONE-001 >=1.0.0", "PKG-T0-BASE-001 >=2.0.0"),
            pkg("PKG-T2-A-001", "1.0.0", "PKG-T2-B-001 >=1.0.0"),
            pkg("PKG-T2-B-001", "1.0.0", "PKG-T2-C-001 >=1.0.0"),
            pkg("PKG-T2-C-001", "1.0.0", "PKG-T2-A-001 >=1.0.0"),
            pkg("PKG-T3-SELF-001", "1.0.0", "PKG-T3-SELF-001 >=1.0.0"));

    assertThat(DependencyChecker.checkAll(installed))
        .extracting(DependencyProblem::kind, DependencyProblem::pkg, DependencyProblem::other)
        .containsExactly(
            tuple("G0_HAS_DEPENDENCIES", id("PKG-G0-GENESIS-001"), id("PKG-T0-BASE-001")),
            tuple("TIER_VIOLATION", id("PKG-T0-BASE-001"), id(RUNTIME)),
            tuple("CYCLE", id("PKG-T0-BASE-001"), id(RUNTIME)),
            tuple("MISSING", id(RUNTIME), id("PKG-T0-GONE-001")),
            tuple("VERSION_MISMATCH", id(RUNTIME), id("PKG-T0-BASE-001")),
            tuple("CYCLE", id("PKG-T2-A-001"), id("PKG-T2-B-001")),
            tuple("SELF_DEPENDENCY", id("PKG-T3-SELF-001"), id("PKG-T3-SELF-001")));
    assertThat(DependencyChecker.checkAll(installed))
        .filteredOn(p -> p.kind().equals("CYCLE"))
        .extracting(DependencyProblem::message)
        .containsExactly(
            "dependency cycle: PKG-T0-BASE-001 -> PKG-T1-RUNTIME-001 -> PKG-T0-BASE-001",
            "dependency cycle: PKG-T2-A-001 -> PKG-T2-B-001 -> PKG-T2-C-001 -> PKG-T2-A-001");
  }

  /** A depends on B and C, both depend on D. */
  static List<InstalledPackage> diamond() {
    return List.of(
        pkg("PKG-T2-A-001", "1.0.0", "PKG-T1-C-001 >=1.0.0", "PKG-T1-B-001 >=1.0.0"),
        pkg("PKG-T1-B-001", "1.1.0", "PKG-T0-D-001 >=1.0.0 <2.0.0"),
        pkg("PKG-T1-C-001", "1.2.0", "PKG-T0-D-001 >=1.5.0"),
        pkg("PKG-T0-D-001", "1.5.0"));
  }

  @Test
  void treeOfADiamondShowsTheSharedDependencyUnderBothPaths() {
    DependencyNode root = DependencyChecker.tree(id("PKG-T2-A-001"), diamond());

    assertThat(root.id()).isEqualTo(id("PKG-T2-A-001"));
    assertThat(root.version()).isEqualTo(SemVer.parse("1.0.0"));
    assertThat(root.wanted()).isNull();
    assertThat(root.cycle()).isFalse();
    assertThat(root.children())
        .extracting(DependencyNode::id, n -> n.version().toString(), n -> n.wanted().toString())
        .containsExactly(
            tuple(id("PKG-T1-B-001"), "1.1.0", ">=1.0.0"),
            tuple(id("PKG-T1-C-001"), "1.2.0", ">=1.0.0"));
    assertThat(root.children().get(0).children())
        .extracting(DependencyNode::id, n -> n.wanted().toString(), DependencyNode::satisfied)
        .containsExactly(tuple(id("PKG-T0-D-001"), ">=1.0.0 <2.0.0", true));
    assertThat(root.children().get(1).children())
        .extracting(DependencyNode::id, n -> n.wanted().toString(), DependencyNode::cycle)
        .containsExactly(tuple(id("PKG-T0-D-001"), ">=1.5.0", false));
    assertThat(root.children().get(1).children().get(0).children()).isEmpty();
  }

  @Test
  void treeMarksACycleInsteadOfRecursingAndShowsMissingAndMismatchedDependencies() {
    List<InstalledPackage> installed =
        List.of(
            pkg("PKG-T1-A-001", "1.0.0", "PKG-T1-B-001 >=1.0.0"),
            pkg("PKG-T1-B-001", "1.0.0", "PKG-T1-A-001 >=2.0.0", "PKG-T0-GONE-001 >=1.0.0"));

    DependencyNode root = DependencyChecker.tree(id("PKG-T1-A-001"), installed);

    DependencyNode b = root.children().get(0);
    assertThat(b.id()).isEqualTo(id("PKG-T1-B-001"));
    assertThat(b.cycle()).isFalse();
    assertThat(b.children())
        .extracting(
            DependencyNode::id,
            DependencyNode::installed,
            DependencyNode::satisfied,
            DependencyNode::cycle)
        .containsExactly(
            tuple(id("PKG-T0-GONE-001"), false, false, false),
            tuple(id("PKG-T1-A-001"), true, false, true));
    assertThat(b.children().get(1).children()).isEmpty();
    assertThat(b.children().get(1).version()).isEqualTo(SemVer.parse("1.0.0"));
  }

  @Test
  void treeOfAPackageThatIsNotInstalledIsASingleMissingNode() {
    DependencyNode root = DependencyChecker.tree(id(RUNTIME), diamond());

    assertThat(root).isEqualTo(new DependencyNode(id(RUNTIME), null, null, false, List.of()));
    assertThat(root.installed()).isFalse();
  }

  @Test
  void installOrderPutsDependenciesFirstAndBreaksTiesById() {
    assertThat(DependencyChecker.installOrder(diamond()))
        .containsExactly(
            id("PKG-T0-D-001"), id("PKG-T1-B-001"), id("PKG-T1-C-001"), id("PKG-T2-A-001"));
  }

  @Test
  void installOrderPlacesACycleAsOneBlockAfterItsDependencies() {
    List<InstalledPackage> installed =
        List.of(
            pkg("PKG-T1-A-001", "1.0.0", "PKG-T1-Z-001 >=1.0.0"),
            pkg("PKG-T1-Z-001", "1.0.0", "PKG-T1-A-001 >=1.0.0", "PKG-T1-Y-001 >=1.0.0"),
            pkg("PKG-T1-Y-001", "1.0.0", "PKG-T0-MISSING-001 >=1.0.0"),
            pkg("PKG-T1-B-001", "1.0.0"),
            pkg("PKG-T2-TOP-001", "1.0.0", "PKG-T1-A-001 >=1.0.0"));

    assertThat(DependencyChecker.installOrder(installed))
        .containsExactly(
            id("PKG-T1-B-001"),
            id("PKG-T1-Y-001"),
            id("PKG-T1-A-001"),
            id("PKG-T1-Z-001"),
            id("PKG-T2-TOP-001"));
  }

  @Test
  void duplicateIdsInTheInstalledSetAreRefused() {
    assertThatThrownBy(
            () -> DependencyChecker.checkAll(List.of(pkg(RUNTIME, "1.0.0"), pkg(RUNTIME, "2.0.0"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(RUNTIME);
  }

  @Test
  void installedPackageOfManifestCarriesIdVersionTierAndDependencies() {
    var descriptor =
        new dev.agentpkg.integrity.manifest.PackageDescriptor(
            id(RUNTIME),
            "Runtime",
            SemVer.parse("1.2.3"),
            id(RUNTIME).tier(),
            "SPEC-RUNTIME",
            null,
            null,
            List.of(new Dependency(id(EVIDENCE), VersionRange.parse(">=0.1.0 <1.0.0"))),
            null,
            null);
    InstalledPackage p = InstalledPackage.of(descriptor.toManifest(List.of()));

    assertThat(p).isEqualTo(pkg(RUNTIME, "1.2.3", EVIDENCE + " >=0.1.0 <1.0.0"));
  }

  @Test
  void largeLayeredSetIsConsistentAndOrderedWithoutDeepRecursionTrouble() {
    // 1,000 packages in layers plus a 5,000-long chain: exercises the iterative traversals.
    Random random = new Random(42);
    List<InstalledPackage> installed = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      List<String> deps = new ArrayList<>();
      for (int k = 0; k < 5 && i > 0; k++) {
        deps.add(String.format(java.util.Locale.ROOT, "PKG-T1-L-%03d >=1.0.0", random.nextInt(i)));
      }
      installed.add(
          pkg(
              String.format(java.util.Locale.ROOT, "PKG-T1-L-%03d", i),
              "1.0.0",
              deps.stream().distinct().toArray(String[]::new)));
    }
    for (int i = 0; i < 5000; i++) {
      String name = String.format(java.util.Locale.ROOT, "PKG-T2-C%d-001", i);
      installed.add(
          i == 0
              ? pkg(name, "1.0.0")
              : pkg(
                  name,
                  "1.0.0",
                  String.format(java.util.Locale.ROOT, "PKG-T2-C%d-001 >=1.0.0", i - 1)));
    }

    assertThat(DependencyChecker.checkAll(installed)).isEmpty();
    List<PackageId> order = DependencyChecker.installOrder(installed);
    assertThat(order).hasSize(6000).doesNotHaveDuplicates();
    java.util.Map<PackageId, Integer> position = new java.util.HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    for (InstalledPackage p : installed) {
      for (Dependency d : p.dependencies()) {
        assertThat(position.get(d.id())).isLessThan(position.get(p.id()));
      }
    }
    // Without shared subtrees this random lattice would take exponential time and memory.
    assertThat(DependencyChecker.tree(id("PKG-T1-L-999"), installed).children()).isNotEmpty();
    int depth = 0;
    for (DependencyNode n = DependencyChecker.tree(id("PKG-T2-C4999-001"), installed);
        !n.children().isEmpty();
        n = n.children().get(0)) {
      depth++;
    }
    assertThat(depth).isEqualTo(4999);
    assertThat(
            DependencyChecker.checkInstall(
                pkg("PKG-T2-C0-001", "1.0.0", "PKG-T2-C4999-001 >=1.0.0"), installed))
        .extracting(DependencyProblem::kind)
        .containsExactly("CYCLE");
  }
}
