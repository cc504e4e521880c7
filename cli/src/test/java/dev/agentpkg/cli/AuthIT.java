package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles, expiry and revocation, and that no secret is ever stored. */
class AuthIT {
  @TempDir Path dir;

  @Test
  void rolesExpiryAndRevocationAreEnforcedWithReasons() throws Exception {
    Fixture fx = new Fixture(dir);
    List<String> secrets = new ArrayList<>(List.of(fx.adminToken));
    String operator = fx.createToken("operator");
    String maintainer = fx.createToken("maintainer", "--note", "release job");
    secrets.add(operator);
    secrets.add(maintainer);
    String runtime = Agentpkg.example("runtime").toString();
    String evidence = Agentpkg.example("evidence").toString();
    String key = fx.key.toString();

    assertThat(fx.cli.json(6, "pack", "--src", runtime, "--key", key, "--token", operator).err())
        .contains("operator", "maintainer");
    // a maintainer packs T1 into the store, but the T0 trust base needs an admin
    fx.cli.json(0, "pack", "--src", runtime, "--key", key, "--token", maintainer);
    assertThat(fx.cli.json(6, "pack", "--src", evidence, "--key", key, "--token", maintainer).err())
        .contains("admin");
    assertThat(
            fx.cli
                .json(
                    6,
                    "keys",
                    "trust",
                    fx.pubKey.toString(),
                    "--tiers",
                    "T1",
                    "--owner",
                    "x",
                    "--token",
                    maintainer)
                .err())
        .contains("admin");
    fx.cli.json(6, "token", "create", "--role", "operator", "--token", maintainer);
    fx.cli.json(6, "token", "list", "--token", maintainer);

    assertThat(fx.cli.json(6, "token", "create", "--role", "operator").err()).contains("no token");
    assertThat(
            fx.cli.json(6, "token", "list", "--token", "agp_0123456789ab_" + "A".repeat(43)).err())
        .containsIgnoringCase("unknown");
    assertThat(fx.cli.json(6, "token", "list", "--token", "garbage").err())
        .containsIgnoringCase("malformed");

    // the token can come from a file or the environment
    Path tokenFile = dir.resolve("admin.token");
    Files.writeString(tokenFile, fx.adminToken + "\n");
    fx.cli.json(0, "token", "list", "--token-file", tokenFile.toString());
    fx.cli.env.put("AGENTPKG_TOKEN", fx.adminToken);
    fx.cli.json(0, "token", "list");
    fx.cli.env.remove("AGENTPKG_TOKEN");

    String shortLived = fx.createToken("maintainer", "--expires", "1s");
    secrets.add(shortLived);
    Thread.sleep(1500);
    assertThat(fx.cli.json(6, "pack", "--src", runtime, "--key", key, "--token", shortLived).err())
        .contains("expired");

    String maintainerId = maintainer.split("_")[1];
    fx.cli.json(0, "token", "revoke", maintainerId, "--token", fx.adminToken);
    assertThat(fx.cli.json(6, "pack", "--src", runtime, "--key", key, "--token", maintainer).err())
        .contains("revoked");

    var tokens = fx.cli.json(0, "token", "list", "--token", fx.adminToken).json().get("tokens");
    assertThat(tokens.findValuesAsText("status")).contains("active", "revoked", "expired");

    var ledger = fx.cli.json(0, "ledger", "show").json().get("entries");
    assertThat(ledger.findValuesAsText("event"))
        .contains("TOKEN_CREATED", "TOKEN_REVOKED", "PACKED");
    fx.cli.json(0, "ledger", "verify");

    try (Stream<Path> files = Files.walk(fx.root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          // agp_<id>_<secret>; the secret is base64url and may itself contain '_'
          String secretPart = secret.split("_", 3)[2];
          assertThat(content).as("secret in %s", f).doesNotContain(secretPart);
        }
      }
    }
  }
}
