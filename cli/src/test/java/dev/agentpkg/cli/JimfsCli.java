package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.AppContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The whole CLI in-process on a Jimfs root at /srv/root, with a clock the test moves. */
final class JimfsCli implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final FileSystem fs =
      Jimfs.newFileSystem(
          Configuration.unix().toBuilder()
              .setAttributeViews("basic", "owner", "posix", "unix")
              .build());
  final MovableClock clock = new MovableClock(T0);
  final Map<String, String> env = new HashMap<>(Map.of("AGENTPKG_ROOT", "/srv/root"));

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return Agentpkg.JSON.readTree(out);
    }
  }

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AppContext ctx =
        new AppContext(
            fs,
            fs.getPath("/work"),
            clock,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = new Cli(ctx).execute(args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Creates the root and returns its first admin token. */
  String init() throws Exception {
    Files.createDirectories(fs.getPath("/work"));
    Run r = run("init", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return r.json().get("admin_token").asText();
  }

  @Override
  public void close() throws Exception {
    fs.close();
  }

  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
