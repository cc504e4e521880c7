package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentpkg run} as a user runs it: the shaded jar, a real root, modules compiled at test
 * time. Capabilities are enforced in the host, denials land in the ledger, limits hold, and the
 * root is healthy afterwards whatever the module did.
 */
class RunIT {
  @TempDir Path dir;
  Fixture f;
  Agentpkg cli;
  String operator;

  @BeforeEach
  void root() throws Exception {
    f = new Fixture(dir);
    cli = f.cli;
    operator = f.createToken("operator");
  }

  void installModule(ModulePackage pkg) throws Exception {
    Path src = pkg.write(dir.resolve("src-" + pkg.id()));
    cli.json(
        0, "pack", "--src", src.toString(), "--key", f.key.toString(), "--token", f.adminToken);
    cli.json(0, "install", pkg.id(), "--token", f.adminToken);
  }

  List<JsonNode> events(String id) {
    List<JsonNode> out = new ArrayList<>();
    cli.json(0, "ledger", "show", "--package", id).json().get("entries").forEach(out::add);
    return out;
  }

  static List<String> names(List<JsonNode> events) {
    return events.stream().map(e -> e.get("event").asText()).toList();
  }

  void healthy() {
    Agentpkg.Result check = cli.run("integrity", "check", "--json");
    assertThat(check.code()).as(check.out()).isZero();
    cli.json(0, "ledger", "verify");
  }

  @Test
  void theExampleRuntimeSummarisesTheLedgerAndIsDeniedItsWriteInBothIsolations() throws Exception {
    f.packExample("evidence", "PKG-T0-EVIDENCE-001");
    f.packExample("runtime", "PKG-T1-RUNTIME-001");
    cli.json(0, "install", "PKG-T0-EVIDENCE-001", "--token", f.adminToken);
    cli.json(0, "install", "PKG-T1-RUNTIME-001", "--token", f.adminToken);
    for (String isolation : List.of("process", "in-process")) {
      Agentpkg.Result r =
          cli.run("run", "PKG-T1-RUNTIME-001", "--isolation", isolation, "--token", operator)
              .expect(0);
      assertThat(r.out()).contains("ledger events: ").contains("INSTALLED=2");
      assertThat(r.out())
          .contains("denied as declared: write registries/packages_registry.csv denied");
    }
    List<JsonNode> events = events("PKG-T1-RUNTIME-001");
    assertThat(names(events))
        .containsSubsequence(
            "RUN_STARTED",
            "EVIDENCE",
            "CAPABILITY_DENIED",
            "RUN_FINISHED",
            "RUN_STARTED",
            "EVIDENCE",
            "CAPABILITY_DENIED",
            "RUN_FINISHED");
    JsonNode evidence =
        events.stream()
            .filter(e -> e.get("event").asText().equals("EVIDENCE"))
            .findFirst()
            .orElseThrow();
    assertThat(evidence.get("details").get("kind").asText()).isEqualTo("session.summary");
    assertThat(evidence.get("details").get("fields").get("subject").asText())
        .isEqualTo("PKG-T1-RUNTIME-001");
    assertThat(evidence.get("actor").get("role").asText()).isEqualTo("operator");
    JsonNode denied =
        events.stream()
            .filter(e -> e.get("event").asText().equals("CAPABILITY_DENIED"))
            .findFirst()
            .orElseThrow();
    assertThat(denied.get("details").get("operation").asText()).isEqualTo("write");
    assertThat(denied.get("details").get("path").asText())
        .isEqualTo("registries/packages_registry.csv");
    JsonNode finished = events.get(events.size() - 1);
    assertThat(finished.get("details").get("status").asText()).isEqualTo("completed");
    assertThat(finished.get("details").get("exit_status").asInt()).isZero();
    assertThat(dir.resolve("root/.agentpkg/run")).isEmptyDirectory();
    healthy();
  }

  @Test
  void aPermittedModuleReadsWritesIsDeniedTheRestAndItsExitStatusIsReturned() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-WORKER-001")
            .capabilities(
                "{\"read\":[\"modules/PKG-T2-WORKER-001/data/*.txt\"],"
                    + "\"write\":[\"work/**\"],"
                    + "\"forbidden\":[\"modules/PKG-T2-WORKER-001/data/secret*\"]}")
            .file("modules/PKG-T2-WORKER-001/data/hello.txt", "hello from data\n")
            .file("modules/PKG-T2-WORKER-001/data/secret.txt", "top secret\n")
            .module(
                "w.Worker",
                "GovernedFiles fs = ctx.files();"
                    + " String hello = fs.readLines(\"modules/PKG-T2-WORKER-001/data/hello.txt\")"
                    + ".get(0);"
                    + " ctx.out().println(\"read: \" + hello + \" args=\" + ctx.arguments());"
                    + " fs.write(\"work/out/result.txt\", (hello + \"!\").getBytes("
                    + "java.nio.charset.StandardCharsets.UTF_8));"
                    + " int denied = 0;"
                    + " try { fs.read(\"modules/PKG-T2-WORKER-001/data/secret.txt\"); }"
                    + " catch (CapabilityDeniedException e) { denied++; }"
                    + " try { fs.write(\"modules/PKG-T2-WORKER-001/lib/module.jar\", new byte[0]); }"
                    + " catch (CapabilityDeniedException e) { denied++; }"
                    + " try { fs.read(\"work/../registries/tokens.csv\"); }"
                    + " catch (CapabilityDeniedException e) { denied++; }"
                    + " ctx.out().println(\"denied \" + denied);"
                    + " return 40 + denied - 1;");
    installModule(pkg);
    Agentpkg.Result r =
        cli.run("run", pkg.id(), "--token", operator, "--", "alpha", "--beta").expect(42);
    assertThat(r.out()).contains("read: hello from data args=[alpha, --beta]").contains("denied 3");
    assertThat(Files.readString(dir.resolve("root/work/out/result.txt")))
        .isEqualTo("hello from data!");
    List<JsonNode> denials =
        events(pkg.id()).stream()
            .filter(e -> e.get("event").asText().equals("CAPABILITY_DENIED"))
            .toList();
    assertThat(denials).hasSize(3);
    assertThat(denials.get(0).get("details").get("rule").asText())
        .contains("forbidden: modules/PKG-T2-WORKER-001/data/secret*");
    assertThat(denials.get(2).get("details").get("normalized").asText())
        .isEqualTo("registries/tokens.csv");
    // the module's output is an ORPHAN for integrity check, exactly as SPEC 5 defines it
    Files.delete(dir.resolve("root/work/out/result.txt"));
    Files.delete(dir.resolve("root/work/out"));
    Files.delete(dir.resolve("root/work"));
    healthy();

    // --json: stdout is the one result document; the module's output moved to stderr
    Agentpkg.Result json = cli.run("run", pkg.id(), "--token", operator, "--json").expect(42);
    JsonNode doc = json.json();
    assertThat(doc.get("schema").asText()).isEqualTo("agentpkg/run/v1");
    assertThat(doc.get("status").asText()).isEqualTo("completed");
    assertThat(doc.get("exit_status").asInt()).isEqualTo(42);
    assertThat(json.err()).contains("read: hello from data args=[]");
  }

  @Test
  void aModuleThatLoopsForeverIsKilledAtItsTimeoutAndTheRootIsUnharmed() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-SPINNER-001")
            .module("s.Spin", "long n = 0; while (n >= 0) { n++; } return (int) n;");
    installModule(pkg);
    Instant start = Instant.now();
    Agentpkg.Result r = cli.run("run", pkg.id(), "--timeout", "2s", "--token", operator).expect(1);
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
    assertThat(r.err()).contains("timed out after 2s");
    List<JsonNode> events = events(pkg.id());
    assertThat(events.get(events.size() - 1).get("details").get("status").asText())
        .isEqualTo("timed_out");
    healthy();
  }

  @Test
  void aModuleThatAllocatesPastItsMemoryLimitFailsCleanly() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-HOG-001")
            .module(
                "h.Hog",
                "List<long[]> keep = new ArrayList<>();"
                    + " for (int i = 0; i < 1_000_000; i++) { keep.add(new long[1 << 20]); }"
                    + " return keep.size();");
    installModule(pkg);
    Agentpkg.Result r = cli.run("run", pkg.id(), "--memory", "32m", "--token", operator).expect(1);
    assertThat(r.err()).contains("memory limit");
    List<JsonNode> events = events(pkg.id());
    assertThat(events.get(events.size() - 1).get("details").get("status").asText())
        .isEqualTo("out_of_memory");
    healthy();
  }

  @Test
  void aJarChangedAfterInstallIsRefusedBeforeAnythingLoads() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-TAMPER-001")
            .module("t.Mod", "ctx.out().println(\"MODULE RAN\"); return 0;");
    installModule(pkg);
    Path jar = dir.resolve("root").resolve(pkg.jarPath());
    byte[] bytes = Files.readAllBytes(jar);
    bytes[bytes.length / 2] ^= 1;
    Files.write(jar, bytes);
    Agentpkg.Result r = cli.run("run", pkg.id(), "--token", operator).expect(3);
    assertThat(r.out()).doesNotContain("MODULE RAN");
    assertThat(r.err()).contains(pkg.jarPath() + " differs from what was installed");
    assertThat(names(events(pkg.id()))).doesNotContain("RUN_STARTED");
  }

  @Test
  void codeSmuggledPastInstallIsCaughtByTheScanBeforeLoading() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-SWAP-001")
            .module("t.Mod", "ctx.out().println(\"GOOD\"); return 0;");
    installModule(pkg);
    // someone with write access to the root swaps the jar and fixes up the recorded hash, so the
    // hash check passes; the scan before loading is the second line
    Path evil =
        ModulePackage.jarOnly(dir.resolve("evil.jar"), "t.Mod", "System.exit(66); return 0;");
    Path jar = dir.resolve("root").resolve(pkg.jarPath());
    String installedSha = dev.agentpkg.integrity.digest.Sha256.hexOfFile(jar);
    Files.copy(evil, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path list = dir.resolve("root/registries/files/" + pkg.id() + ".csv");
    String listText = Files.readString(list);
    assertThat(listText).contains(installedSha);
    Files.writeString(
        list, listText.replace(installedSha, dev.agentpkg.integrity.digest.Sha256.hexOfFile(jar)));
    Agentpkg.Result r = cli.run("run", pkg.id(), "--token", operator).expect(6);
    assertThat(r.out()).doesNotContain("GOOD");
    assertThat(r.err())
        .contains(pkg.id() + " is refused by the bytecode scan")
        .contains(
            "t.Mod#run(Ldev/agentpkg/api/ModuleContext;)I -> java.lang.System#exit(I)V [exit]");
    List<JsonNode> events = events(pkg.id());
    JsonNode refused = events.get(events.size() - 1);
    assertThat(refused.get("event").asText()).isEqualTo("RUN_REFUSED");
    assertThat(refused.get("details").get("code_scan").get("verdict").asText())
        .isEqualTo("refused");
    assertThat(names(events)).doesNotContain("RUN_STARTED");
  }

  @Test
  void runNeedsAnOperatorTokenAndAnInstalledRuntimePackage() throws Exception {
    ModulePackage pkg = new ModulePackage("PKG-T2-PLAIN-001").module("p.Mod", "return 0;");
    installModule(pkg);
    cli.json(6, "run", pkg.id());
    cli.json(6, "run", pkg.id(), "--token", "agp_nosuch_" + "x".repeat(43));
    cli.json(4, "run", "PKG-T2-ABSENT-001", "--token", operator);
    cli.json(2, "run", "not-an-id", "--token", operator);
    cli.json(2, "run", pkg.id(), "--isolation", "sideways", "--token", operator);
    cli.json(2, "run", pkg.id(), "--memory", "lots", "--token", operator);
    // in-process is for trusted tiers only; this is T2
    Agentpkg.Result r =
        cli.json(6, "run", pkg.id(), "--isolation", "in-process", "--token", operator);
    assertThat(r.err()).contains("in-process isolation is only for tiers G0, T0 and T1");
  }

  @Test
  void capabilityCheckAnswersLikeRunWouldAndNamesTheRule() throws Exception {
    ModulePackage pkg =
        new ModulePackage("PKG-T2-POLICY-001")
            .capabilities(
                "{\"read\":[\"ledger/*.jsonl\"],\"write\":[\"out/**\"],"
                    + "\"forbidden\":[\"out/private/**\"]}")
            .module("p.Mod", "return 0;");
    installModule(pkg);
    Agentpkg.Result ok =
        cli.run("capability", "check", pkg.id(), "read", "ledger/governance.jsonl").expect(0);
    assertThat(ok.out())
        .startsWith("allow read ledger/governance.jsonl")
        .contains("ledger/*.jsonl");
    JsonNode doc = cli.json(6, "capability", "check", pkg.id(), "write", "out/private/x").json();
    assertThat(doc.get("allowed").asBoolean()).isFalse();
    assertThat(doc.get("rule").asText()).contains("forbidden: out/private/**");
    JsonNode climb =
        cli.json(6, "capability", "check", pkg.id(), "read", "out/../registries/tokens.csv").json();
    assertThat(climb.get("normalized").asText()).isEqualTo("registries/tokens.csv");
    cli.json(6, "capability", "check", pkg.id(), "write", pkg.jarPath());
    cli.json(0, "capability", "check", pkg.id(), "write", "out/report.txt");
    cli.json(2, "capability", "check", pkg.id(), "chmod", "out/report.txt");
  }
}
