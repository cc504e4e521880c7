package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install suites' archives as {@code agentpkg verify} (the same archive checks, already
 * shipped) sees them through the shaded jar: the builder's good archive verifies as trusted, and
 * the biggest and nastiest hostile ones are refused within the time the install suites allow.
 */
class InstallArchiveVerifyIT {
  @TempDir Path dir;

  @Test
  void theBuildersArchivesMeetAgentpkgVerify() throws Exception {
    InstallWorld world = new InstallWorld(dir);
    Ed25519PrivateKey key = KeyFiles.readPrivate(world.fx.key);

    Path good = InstallCases.evil().writeTo(dir.resolve("archives/good"), key);
    JsonNode v = world.fx.cli.json(0, "verify", good.toString()).json();
    assertThat(v.get("ok").asBoolean()).isTrue();
    assertThat(v.get("trusted").asBoolean()).isTrue();
    assertThat(v.get("files").asInt()).isEqualTo(2);

    Set<String> sample =
        Set.of(
            "entry ../../x",
            "symlink entry then a file written through it",
            "signed only by an untrusted key",
            "entry declaring 10 GiB (10 MB of gzip inflating to 10 GiB)",
            "10 GiB of zeros inflating past the tar end",
            "1,000,000 empty entries",
            "64 MiB PAX header");
    List<InstallCases.Case> cases =
        InstallCases.all().stream().filter(c -> sample.contains(c.name())).toList();
    assertThat(cases).hasSize(sample.size());
    int n = 0;
    for (InstallCases.Case c : cases) {
      Path archive = c.archive().get().writeTo(dir.resolve("archives/" + n++), key);
      InstallWorld.Before before = world.before();
      InstallWorld.Timed run = world.run("verify", archive.toString());
      Agentpkg.Result r = run.result();
      String ctx = c.name() + "\nstderr: " + r.err();
      assertThat(r.code()).as(ctx).isIn(c.exits());
      assertThat(r.err()).as(ctx).containsAnyOf(c.stderr().toArray(new String[0]));
      assertThat(r.json().path("schema").asText()).isEqualTo("agentpkg/error/v1");
      assertThat(run.elapsed()).as("time: " + ctx).isLessThan(InstallWorld.MAX_REFUSAL);
      // verify is read-only: nothing anywhere changes, ledger included
      world.assertUntouched(before, ctx);
      System.err.printf("verify refused %s in %d ms%n", c.name(), run.elapsed().toMillis());
    }
  }
}
