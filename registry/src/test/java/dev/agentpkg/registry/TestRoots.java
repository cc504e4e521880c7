package dev.agentpkg.registry;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.AppContext;
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
import java.util.Map;

/** Shared fixtures: a Jimfs file system, a fixed clock and contexts over them. */
final class TestRoots {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  private TestRoots() {}

  static FileSystem jimfs() {
    return Jimfs.newFileSystem(Configuration.unix());
  }

  static AppContext ctx(FileSystem fs, String workingDir, Map<String, String> env) {
    Path wd = fs.getPath(workingDir);
    try {
      Files.createDirectories(wd);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new AppContext(fs, wd, CLOCK, env, sink, sink);
  }

  /** A fresh root at /root on Jimfs. */
  static RootInitializer.InitResult initRoot(FileSystem fs) {
    AppContext ctx = ctx(fs, "/work", Map.of());
    return RootInitializer.init(ctx, fs.getPath("/root"), new SecureRandom());
  }

  static Clock at(Instant i) {
    return Clock.fixed(i, ZoneOffset.UTC);
  }
}
