package dev.agentpkg.registry.state;

import static dev.agentpkg.registry.state.StateFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.VersionRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageCodeTest {
  static Dependency dep(String id) {
    return new Dependency(PackageId.of(id), VersionRange.parse(">=0.0.0"));
  }

  @Test
  void closureIsTransitiveNearestFirstAndVisitsEachPackageOnce() {
    List<PackageRecord> installed =
        List.of(
            record("PKG-T1-APP-001", "1.0.0", dep("PKG-T1-LIB-001"), dep("PKG-T0-BASE-001")),
            record("PKG-T1-LIB-001", "1.0.0", dep("PKG-T0-BASE-001"), dep("PKG-T0-UTIL-001")),
            record("PKG-T0-BASE-001", "1.0.0"),
            record("PKG-T0-UTIL-001", "1.0.0", dep("PKG-T0-BASE-001")),
            record("PKG-T0-OTHER-001", "1.0.0"));
    List<PackageRecord> closure =
        PackageCode.dependencyClosure(installed.get(0).dependencies(), installed);
    assertThat(closure)
        .extracting(r -> r.id().value())
        .containsExactly("PKG-T1-LIB-001", "PKG-T0-BASE-001", "PKG-T0-UTIL-001");
  }

  @Test
  void aMissingDependencyIsSkippedNotFatal() {
    List<PackageRecord> installed = List.of(record("PKG-T0-BASE-001", "1.0.0"));
    assertThat(
            PackageCode.dependencyClosure(
                List.of(dep("PKG-T0-GONE-001"), dep("PKG-T0-BASE-001")), installed))
        .extracting(r -> r.id().value())
        .containsExactly("PKG-T0-BASE-001");
  }

  @Test
  void jarsAreRecognisedByExtensionInAnyCase() {
    assertThat(PackageCode.isJar("modules/x/lib/a.jar")).isTrue();
    assertThat(PackageCode.isJar("modules/x/lib/A.JAR")).isTrue();
    assertThat(PackageCode.isJar("modules/x/lib/a.jar.txt")).isFalse();
    assertThat(PackageCode.isJar("modules/x/lib/jar")).isFalse();
  }
}
