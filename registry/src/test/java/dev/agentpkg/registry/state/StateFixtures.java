package dev.agentpkg.registry.state;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.VersionRange;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.RootInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Roots made by the real RootInitializer, and records and file lists to put in them. */
final class StateFixtures {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final String KEY = Sha256.hex("key".getBytes(StandardCharsets.UTF_8));

  private StateFixtures() {}

  static FileSystem jimfs() {
    return Jimfs.newFileSystem(Configuration.unix());
  }

  /** A fresh root at {@code dir} on dir's file system. */
  static Root initRoot(Path dir) {
    FileSystem fs = dir.getFileSystem();
    Path wd = dir.getParent();
    try {
      Files.createDirectories(wd);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    AppContext ctx = new AppContext(fs, wd, Clock.fixed(T0, ZoneOffset.UTC), Map.of(), sink, sink);
    return RootInitializer.init(ctx, dir, new SecureRandom()).root();
  }

  static String hex(String seed) {
    return Sha256.hex(seed.getBytes(StandardCharsets.UTF_8));
  }

  static PackageRecord record(String id, String version, Dependency... deps) {
    PackageId pid = PackageId.of(id);
    return new PackageRecord(
        pid,
        "name of " + id,
        SemVer.parse(version),
        pid.tier(),
        "SPEC-CORE-1",
        "",
        PackageRecord.STATUS_ACTIVE,
        hex("archive " + id + version),
        hex("manifest " + id + version),
        KEY,
        List.of(deps),
        T0,
        "tok-admin");
  }

  static Dependency dep(String id, String range) {
    return new Dependency(PackageId.of(id), VersionRange.parse(range));
  }

  static OwnedFile file(String path) {
    return new OwnedFile(path, hex(path), path.length(), "0644");
  }

  /** {@code n} files under {@code modules/<prefix>/}. */
  static List<OwnedFile> files(String prefix, int n) {
    List<OwnedFile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(file("modules/" + prefix + "/f" + i + ".txt"));
    }
    return out;
  }
}
