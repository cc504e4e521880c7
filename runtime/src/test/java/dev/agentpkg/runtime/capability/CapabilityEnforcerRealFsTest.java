package dev.agentpkg.runtime.capability;

import static dev.agentpkg.runtime.capability.Operation.LIST;
import static dev.agentpkg.runtime.capability.Operation.READ;
import static dev.agentpkg.runtime.capability.Operation.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.agentpkg.integrity.manifest.Capabilities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symbolic links on the real file system, in particular the sibling directory whose name extends
 * the root's ({@code <base>/root2} next to {@code <base>/root}), which a string-prefix containment
 * check would take for inside.
 */
class CapabilityEnforcerRealFsTest {
  private static final Capabilities CAPS =
      new Capabilities(
          List.of("allowed/**", "data/**"),
          List.of("allowed/**", "data/**"),
          List.of(),
          List.of("secrets/**"));

  @TempDir Path base;
  Path root;
  Path sibling;
  CapabilityEnforcer enforcer;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(base.resolve("root"));
    sibling = Files.createDirectories(base.resolve("root2"));
    Files.writeString(sibling.resolve("secret"), "s", StandardCharsets.UTF_8);
    Files.createDirectories(root.resolve("allowed"));
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(root.resolve("secrets"));
    Files.createDirectories(root.resolve("registries"));
    Files.writeString(root.resolve("data/real.txt"), "r", StandardCharsets.UTF_8);
    Files.writeString(root.resolve("secrets/k"), "k", StandardCharsets.UTF_8);
    Path allowed = root.resolve("allowed");
    Files.createSymbolicLink(allowed.resolve("link"), sibling.resolve("secret"));
    Files.createSymbolicLink(allowed.resolve("dir2"), sibling);
    Files.createSymbolicLink(allowed.resolve("reg"), root.resolve("registries"));
    Files.createSymbolicLink(allowed.resolve("sec"), root.resolve("secrets"));
    Files.createSymbolicLink(allowed.resolve("dangling"), base.resolve("root2/absent"));
    Files.createSymbolicLink(allowed.resolve("hop1"), allowed.resolve("hop2"));
    Files.createSymbolicLink(allowed.resolve("hop2"), root.resolve("data/real.txt"));
    enforcer = new CapabilityEnforcer(root, CAPS, p -> false);
  }

  @Test
  void theSiblingTargetReallyStartsWithTheRootAsAString() throws IOException {
    // Without this the sibling-prefix rows below would prove nothing.
    assertThat(sibling.resolve("secret").toRealPath().toString())
        .startsWith(root.toRealPath().toString());
  }

  static Stream<Arguments> denials() {
    return Stream.of(
        arguments(READ, "../root2/secret", "outside the root"),
        arguments(READ, "allowed/../../root2/secret", "outside the root"),
        arguments(READ, "allowed/link", "symbolic link leads outside the root: allowed/link"),
        arguments(
            READ, "allowed/dir2/secret", "symbolic link leads outside the root: allowed/dir2"),
        arguments(WRITE, "allowed/dir2/new", "symbolic link leads outside the root: allowed/dir2"),
        arguments(LIST, "allowed/dir2", "symbolic link leads outside the root: allowed/dir2"),
        arguments(
            WRITE,
            "allowed/reg/packages_registry.csv",
            "symbolic link allowed/reg leads to registries/packages_registry.csv:"
                + " reserved directory registries/ is never writable"),
        arguments(
            READ,
            "allowed/sec/k",
            "symbolic link allowed/sec leads to secrets/k: forbidden: secrets/**"),
        arguments(READ, "allowed/dangling", "dangling symbolic link: allowed/dangling"),
        arguments(WRITE, "allowed/dangling", "dangling symbolic link: allowed/dangling"));
  }

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @MethodSource("denials")
  void deniesWithTheReason(Operation op, String path, String rule) {
    Decision d = enforcer.check(op, path);
    assertThat(d.allowed()).isFalse();
    assertThat(d.rule()).isEqualTo(rule);
    assertThat(d.target()).isEmpty();
  }

  @Test
  void aChainOfLinksThatStaysInsideIsAllowedAndResolved() throws IOException {
    Decision d = enforcer.check(READ, "allowed/hop1");
    assertThat(d.allowed()).as(d.rule()).isTrue();
    assertThat(d.rule()).isEqualTo("read: allowed/**");
    assertThat(d.target()).contains(root.resolve("data/real.txt").toRealPath());
  }

  @Test
  void aNewFileIsResolvedThroughItsNearestExistingAncestor() throws IOException {
    Decision d = enforcer.check(WRITE, "allowed/new/deeper/file.txt");
    assertThat(d.allowed()).as(d.rule()).isTrue();
    assertThat(d.target())
        .contains(root.toRealPath().resolve("allowed").resolve("new/deeper/file.txt"));
  }

  @Test
  void aRootReachedThroughALinkStillContainsItsFiles() throws IOException {
    Path viaLink = Files.createSymbolicLink(base.resolve("rootlink"), root);
    CapabilityEnforcer e = new CapabilityEnforcer(viaLink, CAPS, p -> false);
    Decision d = e.check(READ, "data/real.txt");
    assertThat(d.allowed()).as(d.rule()).isTrue();
    assertThat(d.target()).contains(root.resolve("data/real.txt").toRealPath());
    assertThat(e.check(READ, "allowed/link").rule())
        .isEqualTo("symbolic link leads outside the root: allowed/link");
  }
}
