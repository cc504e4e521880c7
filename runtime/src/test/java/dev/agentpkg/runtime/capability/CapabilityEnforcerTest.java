package dev.agentpkg.runtime.capability;

import static dev.agentpkg.runtime.capability.Operation.DELETE;
import static dev.agentpkg.runtime.capability.Operation.EXECUTE;
import static dev.agentpkg.runtime.capability.Operation.LIST;
import static dev.agentpkg.runtime.capability.Operation.READ;
import static dev.agentpkg.runtime.capability.Operation.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.manifest.Capabilities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules on Jimfs: one root, one set of capabilities, one table per concern. */
class CapabilityEnforcerTest {
  static final Capabilities CAPS =
      new Capabilities(
          List.of(
              "ledger/*.jsonl",
              "data/**",
              "docs/*.md",
              "a/**/b",
              "secrets/**",
              "modules/OTHER/**",
              "registries/trusted_keys.csv",
              "allowed/**"),
          List.of("data/**", "out/*", "modules/**", "registries/**", "ledger/**", "allowed/**"),
          List.of("bin/tool"),
          List.of("secrets", "data/private/**", "**/*.key"));

  static final Set<String> INSTALLED = Set.of("modules/OTHER/lib/a.jar", "modules/SELF/run.jar");

  static FileSystem fs;
  static Path root;
  static Path realRoot;
  static CapabilityEnforcer enforcer;

  @BeforeAll
  static void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    root = Files.createDirectories(fs.getPath("/x/root"));
    for (String dir :
        List.of(
            "data/sub",
            "data/private",
            "docs",
            "secrets",
            "ledger",
            "registries",
            "packages_store",
            ".agentpkg",
            "modules/OTHER/lib",
            "modules/SELF",
            "bin",
            "out",
            "allowed")) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String file :
        List.of(
            "data/x.txt",
            "data/real.txt",
            "secrets/k",
            "ledger/governance.jsonl",
            "registries/tokens.csv",
            "registries/trusted_keys.csv",
            ".agentpkg/lock",
            "modules/OTHER/lib/a.jar",
            "modules/SELF/run.jar",
            "bin/tool")) {
      Files.writeString(root.resolve(file), file, StandardCharsets.UTF_8);
    }
    Path outside = Files.createDirectories(fs.getPath("/x/root2"));
    Files.writeString(outside.resolve("secret"), "s", StandardCharsets.UTF_8);
    Files.createSymbolicLink(outside.resolve("back"), root.resolve("data/real.txt"));

    Path allowed = root.resolve("allowed");
    link(allowed, "out", "/x/root2");
    link(allowed, "secretlink", "/x/root2/secret");
    link(allowed, "reg", "../registries");
    link(allowed, "agent", "../.agentpkg");
    link(allowed, "sec", "/x/root/secrets");
    link(allowed, "priv", "../data/private");
    link(allowed, "inst", "../modules/OTHER/lib/a.jar");
    link(allowed, "dangling", "../nowhere");
    link(allowed, "dangout", "/x/root2/newfile");
    link(allowed, "loop1", "loop2");
    link(allowed, "loop2", "loop1");
    link(allowed, "c1", "c2");
    link(allowed, "c2", "../data/real.txt");
    link(allowed, "c3", "/x/root2/back");
    link(allowed, "dlink", "../data");
    link(allowed, "up", "..");
    realRoot = root.toRealPath();
    enforcer = new CapabilityEnforcer(root, CAPS, INSTALLED::contains);
  }

  private static void link(Path dir, String name, String target) throws IOException {
    Files.createSymbolicLink(dir.resolve(name), dir.getFileSystem().getPath(target));
  }

  @AfterAll
  static void tearDown() throws IOException {
    fs.close();
  }

  static Stream<Arguments> normalisation() {
    return Stream.of(
        arguments(READ, "data/../secrets/k", false, "secrets/k", "forbidden: secrets"),
        arguments(READ, "./data//x.txt", true, "data/x.txt", "read: data/**"),
        arguments(READ, "data/sub/../x.txt/", true, "data/x.txt", "read: data/**"),
        arguments(READ, "a/../../x", false, "", "outside the root"),
        arguments(READ, "..", false, "", "outside the root"),
        arguments(READ, "../root2/secret", false, "", "outside the root"),
        arguments(READ, "data/../../root/data/x.txt", false, "", "outside the root"),
        arguments(
            READ,
            "ledger/../registries/tokens.csv",
            false,
            "registries/tokens.csv",
            "no read rule matches"),
        arguments(LIST, "", true, "", "read: ledger/*.jsonl"),
        arguments(LIST, ".", true, "", "read: ledger/*.jsonl"),
        arguments(LIST, "data/..", true, "", "read: ledger/*.jsonl"),
        arguments(READ, "", false, "", "the root itself can only be listed"),
        arguments(WRITE, ".", false, "", "the root itself can only be listed"),
        arguments(DELETE, "data/..", false, "", "the root itself can only be listed"));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(READ, null, false, "", "invalid path: null"),
        arguments(READ, "/x/root/data/x.txt", false, "", "absolute path"),
        arguments(READ, "//data/x.txt", false, "", "absolute path"),
        arguments(WRITE, "/", false, "", "absolute path"),
        arguments(READ, "C:/data/x.txt", false, "", "absolute path (Windows drive)"),
        arguments(READ, "c:data", false, "", "absolute path (Windows drive)"),
        arguments(READ, "data\\x.txt", false, "", "invalid path: contains a backslash (use '/')"),
        arguments(READ, "data/\0x", false, "", "invalid path: contains a NUL character"),
        arguments(READ, "data/x\n", false, "", "invalid path: contains control character U+000A"),
        arguments(
            READ,
            "data/" + "x".repeat(5000),
            false,
            "",
            "invalid path: longer than 4096 characters"));
  }

  static Stream<Arguments> globs() {
    return Stream.of(
        arguments(
            READ,
            "ledger/governance.jsonl",
            true,
            "ledger/governance.jsonl",
            "read: ledger/*.jsonl"),
        arguments(READ, "ledger/x/y.jsonl", false, "ledger/x/y.jsonl", "no read rule matches"),
        arguments(
            READ,
            "ledger/governance.json",
            false,
            "ledger/governance.json",
            "no read rule matches"),
        arguments(READ, "a/b", true, "a/b", "read: a/**/b"),
        arguments(READ, "a/x/y/b", true, "a/x/y/b", "read: a/**/b"),
        arguments(READ, "a/x/c", false, "a/x/c", "no read rule matches"),
        arguments(READ, "docs/readme.md", true, "docs/readme.md", "read: docs/*.md"),
        arguments(READ, "docs/sub/readme.md", false, "docs/sub/readme.md", "no read rule matches"),
        arguments(READ, "docs", false, "docs", "no read rule matches"),
        arguments(READ, "Data/x.txt", false, "Data/x.txt", "no read rule matches"),
        arguments(LIST, "ledger", true, "ledger", "read: ledger/*.jsonl"),
        arguments(LIST, "ledger/x", false, "ledger/x", "no read rule matches"),
        arguments(LIST, "docs", true, "docs", "read: docs/*.md"),
        arguments(LIST, "a", true, "a", "read: a/**/b"),
        arguments(LIST, "a/x/y", true, "a/x/y", "read: a/**/b"),
        arguments(LIST, "data/sub", true, "data/sub", "read: data/**"),
        arguments(LIST, "bin", false, "bin", "no read rule matches"),
        arguments(EXECUTE, "bin/tool", true, "bin/tool", "execute: bin/tool"),
        arguments(EXECUTE, "bin/other", false, "bin/other", "no execute rule matches"),
        arguments(EXECUTE, "data/x.txt", false, "data/x.txt", "no execute rule matches"),
        arguments(READ, "bin/tool", false, "bin/tool", "no read rule matches"),
        arguments(WRITE, "out/new.txt", true, "out/new.txt", "write: out/*"),
        arguments(WRITE, "out/sub/new.txt", false, "out/sub/new.txt", "no write rule matches"),
        arguments(DELETE, "out/old.txt", true, "out/old.txt", "write: out/*"),
        arguments(DELETE, "docs/readme.md", false, "docs/readme.md", "no write rule matches"),
        arguments(WRITE, "docs/readme.md", false, "docs/readme.md", "no write rule matches"));
  }

  static Stream<Arguments> forbidden() {
    return Stream.of(
        arguments(READ, "secrets/k", false, "secrets/k", "forbidden: secrets"),
        arguments(READ, "secrets", false, "secrets", "forbidden: secrets"),
        arguments(LIST, "secrets", false, "secrets", "forbidden: secrets"),
        arguments(READ, "secrets/deep/down/k", false, "secrets/deep/down/k", "forbidden: secrets"),
        arguments(READ, "SECRETS/k", false, "SECRETS/k", "forbidden: secrets"),
        arguments(READ, "data/private", false, "data/private", "forbidden: data/private/**"),
        arguments(READ, "data/private/x", false, "data/private/x", "forbidden: data/private/**"),
        arguments(
            WRITE, "data/private/new", false, "data/private/new", "forbidden: data/private/**"),
        arguments(DELETE, "data/Private/x", false, "data/Private/x", "forbidden: data/private/**"),
        arguments(READ, "data/sub/id.key", false, "data/sub/id.key", "forbidden: **/*.key"),
        arguments(WRITE, "out/id.KEY", false, "out/id.KEY", "forbidden: **/*.key"),
        arguments(LIST, "data", true, "data", "read: data/**"),
        arguments(READ, "data/privateer", true, "data/privateer", "read: data/**"),
        arguments(READ, "secretsafe/k", false, "secretsafe/k", "no read rule matches"));
  }

  static Stream<Arguments> reserved() {
    return Stream.of(
        arguments(
            WRITE,
            "registries/packages_registry.csv",
            false,
            "registries/packages_registry.csv",
            "reserved directory registries/ is never writable"),
        arguments(
            WRITE,
            "Registries/x",
            false,
            "Registries/x",
            "reserved directory registries/ is never writable"),
        arguments(
            DELETE,
            "registries",
            false,
            "registries",
            "reserved directory registries/ is never writable"),
        arguments(
            DELETE,
            "ledger/governance.jsonl",
            false,
            "ledger/governance.jsonl",
            "reserved directory ledger/ is never writable"),
        arguments(
            WRITE,
            "LEDGER/governance.jsonl",
            false,
            "LEDGER/governance.jsonl",
            "reserved directory ledger/ is never writable"),
        arguments(WRITE, "ledger", false, "ledger", "reserved directory ledger/ is never writable"),
        arguments(
            WRITE,
            "packages_store/a.tar.gz",
            false,
            "packages_store/a.tar.gz",
            "reserved directory packages_store/ is never writable"),
        arguments(
            DELETE,
            "Packages_Store/a.tar.gz",
            false,
            "Packages_Store/a.tar.gz",
            "reserved directory packages_store/ is never writable"),
        arguments(
            WRITE,
            ".agentpkg/lock",
            false,
            ".agentpkg/lock",
            "reserved directory .agentpkg/ is never writable"),
        arguments(
            READ,
            ".agentpkg/lock",
            false,
            ".agentpkg/lock",
            "reserved directory .agentpkg/ is private"),
        arguments(
            LIST, ".agentpkg", false, ".agentpkg", "reserved directory .agentpkg/ is private"),
        arguments(
            READ,
            ".AgentPkg/journal",
            false,
            ".AgentPkg/journal",
            "reserved directory .agentpkg/ is private"),
        arguments(
            EXECUTE,
            ".agentpkg/x",
            false,
            ".agentpkg/x",
            "reserved directory .agentpkg/ is private"),
        arguments(
            READ, "registries/tokens.csv", false, "registries/tokens.csv", "no read rule matches"),
        arguments(
            READ,
            "registries/trusted_keys.csv",
            true,
            "registries/trusted_keys.csv",
            "read: registries/trusted_keys.csv"),
        arguments(
            READ,
            "packages_store/a.tar.gz",
            false,
            "packages_store/a.tar.gz",
            "no read rule matches"),
        arguments(LIST, "registries", true, "registries", "read: registries/trusted_keys.csv"),
        arguments(
            WRITE,
            "data/../registries/x",
            false,
            "registries/x",
            "reserved directory registries/ is never writable"),
        arguments(WRITE, "data/registries/x", true, "data/registries/x", "write: data/**"));
  }

  static Stream<Arguments> installed() {
    return Stream.of(
        arguments(
            WRITE,
            "modules/OTHER/lib/a.jar",
            false,
            "modules/OTHER/lib/a.jar",
            "installed file of a package is never writable"),
        arguments(
            DELETE,
            "modules/OTHER/lib/a.jar",
            false,
            "modules/OTHER/lib/a.jar",
            "installed file of a package is never writable"),
        arguments(
            WRITE,
            "modules/./OTHER//lib/a.jar",
            false,
            "modules/OTHER/lib/a.jar",
            "installed file of a package is never writable"),
        arguments(
            WRITE,
            "modules/SELF/run.jar",
            false,
            "modules/SELF/run.jar",
            "installed file of a package is never writable"),
        arguments(
            READ,
            "modules/OTHER/lib/a.jar",
            true,
            "modules/OTHER/lib/a.jar",
            "read: modules/OTHER/**"),
        arguments(
            READ, "modules/SELF/run.jar", false, "modules/SELF/run.jar", "no read rule matches"),
        arguments(
            WRITE,
            "modules/OTHER/lib/new.jar",
            true,
            "modules/OTHER/lib/new.jar",
            "write: modules/**"));
  }

  static Stream<Arguments> symlinks() {
    return Stream.of(
        arguments(
            READ,
            "allowed/out/secret",
            false,
            "allowed/out/secret",
            "symbolic link leads outside the root: allowed/out"),
        arguments(
            WRITE,
            "allowed/out/new",
            false,
            "allowed/out/new",
            "symbolic link leads outside the root: allowed/out"),
        arguments(
            READ,
            "allowed/secretlink",
            false,
            "allowed/secretlink",
            "symbolic link leads outside the root: allowed/secretlink"),
        arguments(
            READ,
            "allowed/reg/tokens.csv",
            false,
            "allowed/reg/tokens.csv",
            "symbolic link allowed/reg leads to registries/tokens.csv: no read rule matches"),
        arguments(
            WRITE,
            "allowed/reg/new.csv",
            false,
            "allowed/reg/new.csv",
            "symbolic link allowed/reg leads to registries/new.csv:"
                + " reserved directory registries/ is never writable"),
        arguments(
            READ,
            "allowed/reg/trusted_keys.csv",
            true,
            "allowed/reg/trusted_keys.csv",
            "read: allowed/**"),
        arguments(
            READ,
            "allowed/agent/lock",
            false,
            "allowed/agent/lock",
            "symbolic link allowed/agent leads to .agentpkg/lock:"
                + " reserved directory .agentpkg/ is private"),
        arguments(
            READ,
            "allowed/sec/k",
            false,
            "allowed/sec/k",
            "symbolic link allowed/sec leads to secrets/k: forbidden: secrets"),
        arguments(
            LIST,
            "allowed/sec",
            false,
            "allowed/sec",
            "symbolic link allowed/sec leads to secrets: forbidden: secrets"),
        arguments(
            WRITE,
            "allowed/priv/new",
            false,
            "allowed/priv/new",
            "symbolic link allowed/priv leads to data/private/new: forbidden: data/private/**"),
        arguments(
            WRITE,
            "allowed/inst",
            false,
            "allowed/inst",
            "symbolic link allowed/inst leads to modules/OTHER/lib/a.jar:"
                + " installed file of a package is never writable"),
        arguments(
            READ,
            "allowed/dangling",
            false,
            "allowed/dangling",
            "dangling symbolic link: allowed/dangling"),
        arguments(
            WRITE,
            "allowed/dangling",
            false,
            "allowed/dangling",
            "dangling symbolic link: allowed/dangling"),
        arguments(
            WRITE,
            "allowed/dangling/x",
            false,
            "allowed/dangling/x",
            "dangling symbolic link: allowed/dangling"),
        arguments(
            WRITE,
            "allowed/dangout",
            false,
            "allowed/dangout",
            "dangling symbolic link: allowed/dangout"),
        arguments(
            READ, "allowed/loop1", false, "allowed/loop1", "dangling symbolic link: allowed/loop1"),
        arguments(
            READ,
            "allowed/up/secrets/k",
            false,
            "allowed/up/secrets/k",
            "symbolic link allowed/up leads to secrets/k: forbidden: secrets"),
        arguments(
            WRITE,
            "allowed/up",
            false,
            "allowed/up",
            "symbolic link allowed/up leads to the root: the root itself can only be listed"),
        arguments(LIST, "allowed/up", true, "allowed/up", "read: allowed/**"),
        arguments(
            READ,
            "allowed/up/../up/data/x.txt",
            true,
            "allowed/up/data/x.txt",
            "read: allowed/**"));
  }

  @ParameterizedTest(name = "{0} ''{1}'' -> {2} ({4})")
  @MethodSource({
    "normalisation",
    "invalid",
    "globs",
    "forbidden",
    "reserved",
    "installed",
    "symlinks"
  })
  void decides(Operation op, String path, boolean allowed, String normalized, String rule)
      throws IOException {
    Decision d = enforcer.check(op, path);
    assertThat(d.allowed()).as("allowed").isEqualTo(allowed);
    assertThat(d.rule()).as("rule").isEqualTo(rule);
    assertThat(d.normalized()).as("normalized").isEqualTo(normalized);
    assertThat(d.operation()).isEqualTo(op);
    assertThat(d.requested()).isEqualTo(path == null ? "" : path);
    if (allowed) {
      Path lexical = realRoot;
      for (String s : normalized.isEmpty() ? new String[0] : normalized.split("/")) {
        lexical = lexical.resolve(s);
      }
      Path expected = Files.exists(lexical) ? lexical.toRealPath() : lexical;
      assertThat(d.target()).contains(expected);
    } else {
      assertThat(d.target()).isEmpty();
    }
  }

  static Stream<Arguments> linkTargets() {
    return Stream.of(
        arguments(READ, "allowed/c1", "data/real.txt"),
        arguments(READ, "allowed/c3", "data/real.txt"),
        arguments(WRITE, "allowed/dlink/new.txt", "data/new.txt"),
        arguments(READ, "allowed/reg/trusted_keys.csv", "registries/trusted_keys.csv"),
        arguments(LIST, "allowed/up", ""));
  }

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @MethodSource("linkTargets")
  void allowedLinksResolveToTheirRealTargetInsideTheRoot(Operation op, String path, String real) {
    Decision d = enforcer.check(op, path);
    assertThat(d.allowed()).as(d.rule()).isTrue();
    assertThat(d.rule()).isEqualTo((op == WRITE ? "write" : "read") + ": allowed/**");
    assertThat(d.target()).contains(real.isEmpty() ? realRoot : realRoot.resolve(real));
  }

  @Test
  void withoutCapabilitiesEverythingIsDenied() {
    CapabilityEnforcer none = new CapabilityEnforcer(root, Capabilities.none(), p -> false);
    for (Operation op : Operation.values()) {
      for (String path : List.of("", "data/x.txt", "bin/tool", "out/new")) {
        assertThat(none.check(op, path).allowed()).as(op + " " + path).isFalse();
      }
    }
    assertThat(none.check(LIST, "").rule()).isEqualTo("no read rule matches");
    assertThat(none.check(DELETE, "out/new").rule()).isEqualTo("no write rule matches");
  }

  @Test
  void forbiddenWinsEvenOverReadEverything() {
    CapabilityEnforcer all =
        new CapabilityEnforcer(
            root,
            new Capabilities(List.of("**"), List.of("**"), List.of("**"), List.of("secrets")),
            p -> false);
    assertThat(all.check(READ, "data/x.txt").allowed()).isTrue();
    assertThat(all.check(READ, "secrets/k").rule()).isEqualTo("forbidden: secrets");
    assertThat(all.check(WRITE, "ledger/governance.jsonl").rule())
        .isEqualTo("reserved directory ledger/ is never writable");
    assertThat(all.check(READ, "ledger/governance.jsonl").allowed()).isTrue();
    assertThat(all.check(READ, ".agentpkg/lock").allowed()).isFalse();
  }

  @Test
  void theInstalledFilePredicateSeesTheNormalisedPath() {
    List<String> seen = new java.util.ArrayList<>();
    CapabilityEnforcer e =
        new CapabilityEnforcer(
            root,
            CAPS,
            p -> {
              seen.add(p);
              return false;
            });
    assertThat(e.check(WRITE, "./data//sub/../new.txt").allowed()).isTrue();
    assertThat(seen).containsExactly("data/new.txt");
  }

  @Test
  void aMissingRootIsAStorageErrorNotADenial() {
    CapabilityEnforcer e =
        new CapabilityEnforcer(fs.getPath("/no/such/root"), CAPS, INSTALLED::contains);
    assertThatThrownBy(() -> e.check(READ, "data/x.txt"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("the root");
    // A lexical denial needs no file system at all.
    assertThat(e.check(READ, "../x").rule()).isEqualTo("outside the root");
  }

  @Test
  void decisionHasATargetExactlyWhenAllowed() {
    assertThatThrownBy(() -> new Decision(true, READ, "a", "a", "r", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(false, READ, "a", "a", "r", Optional.of(root)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
