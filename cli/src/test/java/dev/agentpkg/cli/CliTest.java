package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI in-process on Jimfs: clock-driven expiry, ledger time, error contract. */
class CliTest {
  JimfsCli cli;
  JimfsCli.MovableClock clock;
  java.nio.file.FileSystem fs;

  @BeforeEach
  void setUp() {
    cli = new JimfsCli();
    clock = cli.clock;
    fs = cli.fs;
  }

  @AfterEach
  void tearDown() throws Exception {
    cli.close();
  }

  JimfsCli.Run run(String... args) {
    return cli.run(args);
  }

  String init() throws Exception {
    return cli.init();
  }

  @Test
  void everyCommandAnswersVersionWithTheSameLine() {
    String top = run("--version").out();
    assertThat(top).startsWith("agentpkg ");
    for (String[] args :
        List.of(
            new String[] {"-V"},
            new String[] {"list", "--version"},
            new String[] {"integrity", "check", "-V"},
            new String[] {"keys", "generate", "--version"})) {
      JimfsCli.Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).isEqualTo(top);
    }
  }

  @Test
  void tokenExpiresWhenTheClockPassesItsLifetime() throws Exception {
    String admin = init();
    JimfsCli.Run created =
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
    JimfsCli.Run list = run("keys", "list", "--json");
    assertThat(list.code()).isZero();
    JimfsCli.Run denied = run("token", "list", "--token", maintainer);
    assertThat(denied.code()).isEqualTo(6);
    assertThat(denied.err()).contains("maintainer").contains("admin");

    clock.advance(Duration.ofMinutes(2));
    JimfsCli.Run expired = run("token", "list", "--token", maintainer);
    assertThat(expired.code()).isEqualTo(6);
    assertThat(expired.err()).contains("expired");
  }

  @Test
  void ledgerTimestampsComeFromTheContextClock() throws Exception {
    String admin = init();
    clock.advance(Duration.ofDays(3));
    assertThat(run("token", "create", "--role", "operator", "--token", admin).code()).isZero();
    JimfsCli.Run show = run("ledger", "show", "--json");
    List<String> ts = show.json().get("entries").findValuesAsText("ts");
    assertThat(ts).hasSize(3);
    assertThat(ts.get(0)).startsWith("2026-11-22T10:00:00");
    assertThat(ts.get(2)).startsWith("2026-11-25T10:00:00");
  }

  @Test
  void errorsAreOneLineWithTheRightCodeAndAJsonDocument() throws Exception {
    JimfsCli.Run noRoot = run("ledger", "verify", "--json");
    assertThat(noRoot.code()).isEqualTo(4);
    assertThat(noRoot.json().get("schema").asText()).isEqualTo("agentpkg/error/v1");
    assertThat(noRoot.json().get("error").get("exit_code").asInt()).isEqualTo(4);
    assertThat(noRoot.err().lines().count()).isEqualTo(1);
    assertThat(noRoot.err()).contains("agentpkg init").doesNotContain("Exception");

    JimfsCli.Run badFlag = run("keys", "list", "--bogus", "--json");
    assertThat(badFlag.code()).isEqualTo(2);
    assertThat(badFlag.json().get("error").get("exit_code").asInt()).isEqualTo(2);

    JimfsCli.Run badRole = run("token", "create", "--role", "emperor", "--token", "x");
    assertThat(badRole.code()).isEqualTo(2);
    assertThat(badRole.err()).contains("emperor");
  }

  @Test
  void packAndVerifyWorkOnJimfs() throws Exception {
    String admin = init();
    assertThat(run("keys", "generate", "--out", "/work/k.pem").code()).isZero();
    JimfsCli.Run trust =
        run("keys", "trust", "/work/k.pub.pem", "--tiers", "T2", "--owner", "me", "--token", admin);
    assertThat(trust.code()).as(trust.err()).isZero();
    Path src = fs.getPath("/work/src");
    Files.createDirectories(src.resolve("modules/PKG-T2-J-001"));
    Files.writeString(
        src.resolve("package.json"),
        "{\"id\":\"PKG-T2-J-001\",\"name\":\"j\",\"version\":\"1.2.3\",\"tier\":\"T2\",\"spec_id\":\"SPEC-J\"}");
    Files.writeString(src.resolve("modules/PKG-T2-J-001/x.txt"), "x");
    JimfsCli.Run pack =
        run("pack", "--src", "/work/src", "--key", "/work/k.pem", "--token", admin, "--json");
    assertThat(pack.code()).as(pack.err()).isZero();
    String archive = pack.json().get("archive").asText();
    assertThat(archive).isEqualTo("/srv/root/packages_store/PKG-T2-J-001-1.2.3.tar.gz");
    JimfsCli.Run verify = run("verify", archive, "--json");
    assertThat(verify.code()).as(verify.err()).isZero();
    assertThat(verify.json().get("trusted").asBoolean()).isTrue();
    assertThat(run("ledger", "verify").code()).isZero();
  }
}
