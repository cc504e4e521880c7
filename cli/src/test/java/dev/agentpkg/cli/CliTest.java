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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole CLI in-process on Jimfs with a clock the test moves. */
class CliTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  FileSystem fs;
  MovableClock clock = new MovableClock(T0);
  Map<String, String> env = new HashMap<>();

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return Agentpkg.JSON.readTree(out);
    }
  }

  @BeforeEach
  void setUp() {
    fs =
        Jimfs.newFileSystem(
            Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix")
                .build());
    env.put("AGENTPKG_ROOT", "/srv/root");
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
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

  String init() throws Exception {
    Files.createDirectories(fs.getPath("/work"));
    Run r = run("init", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return r.json().get("admin_token").asText();
  }

  @Test
  void tokenExpiresWhenTheClockPassesItsLifetime() throws Exception {
    String admin = init();
    Run created =
        run(
            "token",
            "create",
            "--role",
            "maintainer",
            "--expires",
            "1h",
            "--token",
            admin,
            "--json");
    assertThat(created.code()).as(created.err()).isZero();
    String maintainer = created.json().get("token").asText();
    assertThat(created.json().get("expires_at").asText()).isEqualTo("2026-11-22T11:00:00Z");

    clock.advance(Duration.ofMinutes(59));
    Run list = run("keys", "list", "--json");
    assertThat(list.code()).isZero();
    Run denied = run("token", "list", "--token", maintainer);
    assertThat(denied.code()).isEqualTo(6);
    assertThat(denied.err()).contains("maintainer").contains("admin");

    clock.advance(Duration.ofMinutes(2));
    Run expired = run("token", "list", "--token", maintainer);
    assertThat(expired.code()).isEqualTo(6);
    assertThat(expired.err()).contains("expired");
  }

  @Test
  void ledgerTimestampsComeFromTheContextClock() throws Exception {
    String admin = init();
    clock.advance(Duration.ofDays(3));
    assertThat(run("token", "create", "--role", "operator", "--token", admin).code()).isZero();
    Run show = run("ledger", "show", "--json");
    List<String> ts = show.json().get("entries").findValuesAsText("ts");
    assertThat(ts).hasSize(3);
    assertThat(ts.get(0)).startsWith("2026-11-22T10:00:00");
    assertThat(ts.get(2)).startsWith("2026-11-25T10:00:00");
  }

  @Test
  void errorsAreOneLineWithTheRightCodeAndAJsonDocument() throws Exception {
    Run noRoot = run("ledger", "verify", "--json");
    assertThat(noRoot.code()).isEqualTo(4);
    assertThat(noRoot.json().get("schema").asText()).isEqualTo("agentpkg/error/v1");
    assertThat(noRoot.json().get("error").get("exit_code").asInt()).isEqualTo(4);
    assertThat(noRoot.err().lines().count()).isEqualTo(1);
    assertThat(noRoot.err()).contains("agentpkg init").doesNotContain("Exception");

    Run badFlag = run("keys", "list", "--bogus", "--json");
    assertThat(badFlag.code()).isEqualTo(2);
    assertThat(badFlag.json().get("error").get("exit_code").asInt()).isEqualTo(2);

    Run badRole = run("token", "create", "--role", "emperor", "--token", "x");
    assertThat(badRole.code()).isEqualTo(2);
    assertThat(badRole.err()).contains("emperor");
  }

  @Test
  void packAndVerifyWorkOnJimfs() throws Exception {
    String admin = init();
    assertThat(run("keys", "generate", "--out", "/work/k.pem").code()).isZero();
    Run trust =
        run("keys", "trust", "/work/k.pub.pem", "--tiers", "T2", "--owner", "me", "--token", admin);
    assertThat(trust.code()).as(trust.err()).isZero();
    Path src = fs.getPath("/work/src");
    Files.createDirectories(src.resolve("modules/PKG-T2-J-001"));
    Files.writeString(
        src.resolve("package.json"),
        "{\"id\":\"PKG-T2-J-001\",\"name\":\"j\",\"version\":\"1.2.3\",\"tier\":\"T2\",\"spec_id\":\"SPEC-J\"}");
    Files.writeString(src.resolve("modules/PKG-T2-J-001/x.txt"), "x");
    Run pack =
        run("pack", "--src", "/work/src", "--key", "/work/k.pem", "--token", admin, "--json");
    assertThat(pack.code()).as(pack.err()).isZero();
    String archive = pack.json().get("archive").asText();
    assertThat(archive).isEqualTo("/srv/root/packages_store/PKG-T2-J-001-1.2.3.tar.gz");
    Run verify = run("verify", archive, "--json");
    assertThat(verify.code()).as(verify.err()).isZero();
    assertThat(verify.json().get("trusted").asBoolean()).isTrue();
    assertThat(run("ledger", "verify").code()).isZero();
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
