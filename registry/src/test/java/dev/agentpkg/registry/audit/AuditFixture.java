package dev.agentpkg.registry.audit;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.integrity.pack.PackRequest;
import dev.agentpkg.integrity.pack.PackResult;
import dev.agentpkg.integrity.pack.PackageBuilder;
import dev.agentpkg.registry.IssuedToken;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.RootInitializer;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import dev.agentpkg.registry.install.CodeVerdict;
import dev.agentpkg.registry.install.CrashPoints;
import dev.agentpkg.registry.install.InstallRequest;
import dev.agentpkg.registry.install.Installer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real root on Jimfs: made by the real RootInitializer, with packages packed by the real builder,
 * signed by a trusted key and installed by the real Installer (code screen stubbed), so the
 * registry, ownership index, store and ledger are exactly what the product writes.
 */
final class AuditFixture {
  static final String EVIDENCE = "PKG-T0-EVIDENCE-001";
  static final String RUNTIME = "PKG-T1-RUNTIME-001";

  final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  final TickingClock clock = new TickingClock(Instant.parse("2025-03-01T12:00:00Z"));
  final AppContext ctx;
  final Root root;
  final IssuedToken admin;
  final Ed25519PrivateKey key;
  private final SecureRandom random = new SecureRandom();

  AuditFixture() {
    Path wd = fs.getPath("/work");
    mkdirs(wd);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    ctx = new AppContext(fs, wd, clock, Map.of(), sink, sink);
    RootInitializer.InitResult init = RootInitializer.init(ctx, wd.resolve("root"), random);
    root = init.root();
    admin = init.adminToken();
    key = Ed25519PrivateKey.generate(random);
    new TrustStore(root, clock)
        .trust(
            key.publicKey().keyId(),
            key.publicKey().toPem(),
            EnumSet.allOf(Tier.class),
            "tests",
            admin.actor());
  }

  /** evidence (T0, 3 files, one in a hidden folder) and runtime (T1, 2 files, depends on it). */
  AuditFixture withTwoPackages() {
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("modules/" + EVIDENCE + "/lib/evidence.jar", "evidence jar bytes");
    evidence.put("modules/" + EVIDENCE + "/README.txt", "read me\n");
    evidence.put("modules/" + EVIDENCE + "/.config/defaults", "x=1\n");
    install(pack(EVIDENCE, "0.1.0", "", evidence));
    Map<String, String> runtime = new LinkedHashMap<>();
    runtime.put("modules/" + RUNTIME + "/lib/agent-runtime.jar", "runtime jar bytes, longer");
    runtime.put("modules/" + RUNTIME + "/conf/app.properties", "a=b\n");
    install(
        pack(
            RUNTIME,
            "0.1.0",
            "[{\"id\":\"" + EVIDENCE + "\",\"version\":\">=0.1.0 <1.0.0\"}]",
            runtime));
    return this;
  }

  Path pack(String id, String version, String dependencies, Map<String, String> files) {
    Path src = fs.getPath("/src/" + id + "-" + version);
    String deps = dependencies.isEmpty() ? "[]" : dependencies;
    write(
        src.resolve("package.json"),
        "{\"id\":\""
            + id
            + "\",\"name\":\"name of "
            + id
            + "\",\"version\":\""
            + version
            + "\",\"tier\":\""
            + id.substring(4, 6)
            + "\",\"spec_id\":\"SPEC-"
            + id.substring(7)
            + "\",\"framework_id\":\"FMWK-100\",\"description\":\"test package\","
            + "\"dependencies\":"
            + deps
            + "}\n");
    files.forEach((path, text) -> write(src.resolve(path), text));
    PackResult r =
        PackageBuilder.pack(
            new PackRequest(
                src,
                Optional.of(id),
                fs.getPath("/out"),
                Optional.empty(),
                Optional.of(key),
                0,
                1));
    return r.archive();
  }

  void install(Path archive) {
    new Governance(ctx, root)
        .mutate(
            new MutationRequest(
                "install", Optional.of(admin.secretText()), Role.ADMIN, "install", Duration.ZERO),
            session ->
                new Installer(
                        ctx,
                        root,
                        CrashPoints.NONE,
                        ArchiveLimits.defaults(),
                        (id, own, deps) -> new CodeVerdict(0, 0, "0".repeat(64), List.of(), 0))
                    .install(
                        session,
                        new InstallRequest(archive, Optional.empty(), false, false, false, false)));
  }

  IntegrityReport check() {
    return new IntegrityChecker(ctx, root, 2).check(Optional.empty());
  }

  Path path(String rel) {
    return root.dir().resolve(rel);
  }

  /**
   * Rewrites the rows of {@code packages_registry.csv} that start with {@code id}; an edit that
   * returns null drops the row.
   */
  void editRegistryRow(String id, UnaryOperator<String> edit) {
    Path csv = path("registries/packages_registry.csv");
    List<String> rows = new ArrayList<>(readLines(csv));
    List<String> before = List.copyOf(rows);
    rows.replaceAll(l -> l.startsWith(id + ",") ? edit.apply(l) : l);
    rows.removeIf(java.util.Objects::isNull);
    if (rows.equals(before)) {
      throw new AssertionError("the edit changed nothing in " + before);
    }
    write(csv, String.join("\n", rows) + "\n");
  }

  static List<String> readLines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path p, String text) {
    try {
      mkdirs(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void mkdirs(Path p) {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One second later at every read: ledger timestamps and transaction ids stay distinct. */
  static final class TickingClock extends Clock {
    private Instant now;

    TickingClock(Instant start) {
      this.now = start;
    }

    @Override
    public synchronized Instant instant() {
      now = now.plusSeconds(1);
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
