package dev.agentpkg.registry.audit;

import static dev.agentpkg.registry.audit.AuditFixture.EVIDENCE;
import static dev.agentpkg.registry.audit.AuditFixture.RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracerTest {
  static final String RUNTIME_JAR = "modules/" + RUNTIME + "/lib/agent-runtime.jar";

  AuditFixture fx;
  Tracer tracer;

  @BeforeEach
  void installTwoPackages() {
    fx = new AuditFixture().withTwoPackages();
    tracer = new Tracer(fx.ctx, fx.root);
  }

  @Test
  void aPackageShowsIdentitySignerDependenciesBothWaysFilesAndHistory() throws IOException {
    ObjectNode d = tracer.explain(RUNTIME, true);
    assertThat(d.get("schema").asText()).isEqualTo("agentpkg/trace/v1");
    assertThat(d.get("kind").asText()).isEqualTo("package");
    assertThat(d.get("installed").asBoolean()).isTrue();
    assertThat(d.get("identity").get("spec_id").asText()).isEqualTo("SPEC-RUNTIME-001");
    assertThat(d.get("identity").get("tier").asText()).isEqualTo("T1");
    JsonNode archive = d.get("archive");
    assertThat(archive.get("path").asText())
        .isEqualTo("packages_store/" + RUNTIME + "-0.1.0.tar.gz");
    assertThat(archive.get("matches_installed").asBoolean()).isTrue();
    assertThat(d.get("signer").get("key_id").asText()).isEqualTo(fx.key.publicKey().keyId());
    assertThat(d.get("signer").get("status").asText()).isEqualTo("trusted");
    assertThat(d.get("installed_by").get("token_id").asText()).isEqualTo(fx.admin.tokenId());
    assertThat(d.get("installed_by").get("role").asText()).isEqualTo("admin");
    assertThat(d.get("dependencies")).hasSize(1);
    assertThat(d.get("dependencies").get(0).get("id").asText()).isEqualTo(EVIDENCE);
    assertThat(d.get("dependencies").get(0).get("satisfied").asBoolean()).isTrue();
    assertThat(d.get("dependents")).isEmpty();
    assertThat(d.get("files").get("count").asInt()).isEqualTo(2);
    assertThat(events(d.get("history"))).contains("INSTALL_STARTED", "INSTALLED");

    Files.writeString(fx.path(RUNTIME_JAR), "tampered", StandardCharsets.UTF_8);
    JsonNode list = tracer.explain(RUNTIME, true).get("files").get("list");
    List<String> statuses = new ArrayList<>();
    list.forEach(f -> statuses.add(f.get("path").asText() + "=" + f.get("status").asText()));
    assertThat(statuses)
        .containsExactlyInAnyOrder(
            RUNTIME_JAR + "=modified", "modules/" + RUNTIME + "/conf/app.properties=ok");

    ObjectNode evidence = tracer.explain(EVIDENCE, false);
    assertThat(evidence.get("dependents")).extracting(JsonNode::asText).containsExactly(RUNTIME);
    assertThat(evidence.get("files").has("list")).isFalse();
  }

  @Test
  void aPathShowsItsOwnerAndRecordedVersusCurrentState() throws IOException {
    String recorded = Sha256.hexOfFile(fx.path(RUNTIME_JAR));
    ObjectNode d = tracer.explain(RUNTIME_JAR, false);
    assertThat(d.get("kind").asText()).isEqualTo("path");
    assertThat(d.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(d.get("version").asText()).isEqualTo("0.1.0");
    assertThat(d.get("recorded").get("sha256").asText()).isEqualTo(recorded);
    assertThat(d.get("current").get("sha256").asText()).isEqualTo(recorded);
    assertThat(d.get("status").asText()).isEqualTo("ok");
    // an absolute path inside the root names the same file
    assertThat(tracer.explain(fx.path(RUNTIME_JAR).toString(), false).get("path").asText())
        .isEqualTo(RUNTIME_JAR);

    Files.delete(fx.path(RUNTIME_JAR));
    ObjectNode gone = tracer.explain(RUNTIME_JAR, false);
    assertThat(gone.get("status").asText()).isEqualTo("missing");
    assertThat(gone.get("current").get("exists").asBoolean()).isFalse();

    AuditFixture.write(fx.path("stray.txt"), "x");
    assertThatThrownBy(() -> tracer.explain("stray.txt", false))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("exists but is not owned");
  }

  @Test
  void aKeyShowsOwnerTiersAndWhatItSigned() {
    String keyId = fx.key.publicKey().keyId();
    ObjectNode d = tracer.explain(keyId.substring(0, 12), false);
    assertThat(d.get("kind").asText()).isEqualTo("key");
    assertThat(d.get("key_id").asText()).isEqualTo(keyId);
    assertThat(d.get("owner").asText()).isEqualTo("tests");
    assertThat(d.get("status").asText()).isEqualTo("trusted");
    assertThat(d.get("tiers")).extracting(JsonNode::asText).contains("T0", "T1");
    List<String> installed = new ArrayList<>();
    d.get("installed").forEach(p -> installed.add(p.get("id").asText()));
    assertThat(installed).containsExactlyInAnyOrder(EVIDENCE, RUNTIME);
    // both INSTALLED events name the key as signer
    assertThat(events(d.get("history"))).filteredOn("INSTALLED"::equals).hasSize(2);

    assertThatThrownBy(() -> tracer.explain("0123456789abcdef", false))
        .isInstanceOf(NotFoundException.class);
  }

  private static List<String> events(JsonNode history) {
    List<String> out = new ArrayList<>();
    history.forEach(e -> out.add(e.get("event").asText()));
    return out;
  }
}
