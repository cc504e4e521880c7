package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace --explain} on a real root with both example packages installed: for a package id, a
 * file, an unowned path and a key id, the answer matches package.json, the registry files and the
 * ledger, and the JSON document has the documented fields with the documented types.
 */
class TraceIT {
  static final String EVIDENCE = "PKG-T0-EVIDENCE-001";
  static final String RUNTIME = "PKG-T1-RUNTIME-001";
  static final String RUNTIME_JAR = "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar";

  static final Set<JsonNodeType> STRING = EnumSet.of(JsonNodeType.STRING);
  static final Set<JsonNodeType> STRING_OR_NULL =
      EnumSet.of(JsonNodeType.STRING, JsonNodeType.NULL);
  static final Set<JsonNodeType> BOOLEAN = EnumSet.of(JsonNodeType.BOOLEAN);
  static final Set<JsonNodeType> NUMBER = EnumSet.of(JsonNodeType.NUMBER);
  static final Set<JsonNodeType> OBJECT = EnumSet.of(JsonNodeType.OBJECT);
  static final Set<JsonNodeType> ARRAY = EnumSet.of(JsonNodeType.ARRAY);

  /** agentpkg/trace/v1, kind "package" (installed, archive in the store): top-level fields. */
  static final Map<String, Set<JsonNodeType>> PACKAGE_SCHEMA =
      schema(
          "schema",
          STRING,
          "kind",
          STRING,
          "id",
          STRING,
          "installed",
          BOOLEAN,
          "identity",
          OBJECT,
          "archive",
          OBJECT,
          "signer",
          OBJECT,
          "installed_by",
          OBJECT,
          "dependencies",
          ARRAY,
          "dependents",
          ARRAY,
          "capabilities",
          OBJECT,
          "files",
          OBJECT,
          "history",
          ARRAY);

  static final Map<String, Set<JsonNodeType>> IDENTITY_SCHEMA =
      schema(
          "id",
          STRING,
          "name",
          STRING,
          "version",
          STRING,
          "tier",
          STRING,
          "spec_id",
          STRING,
          "framework_id",
          STRING_OR_NULL);

  static final Map<String, Set<JsonNodeType>> ARCHIVE_SCHEMA =
      schema(
          "path",
          STRING_OR_NULL,
          "present",
          BOOLEAN,
          "sha256",
          STRING_OR_NULL,
          "sha256_installed",
          STRING,
          "matches_installed",
          BOOLEAN);

  static final Map<String, Set<JsonNodeType>> DEPENDENCY_SCHEMA =
      schema(
          "id",
          STRING,
          "wanted",
          STRING_OR_NULL,
          "version",
          STRING_OR_NULL,
          "satisfied",
          BOOLEAN,
          "cycle",
          BOOLEAN,
          "children",
          ARRAY);

  /** kind "path" (an owned file). */
  static final Map<String, Set<JsonNodeType>> PATH_SCHEMA =
      schema(
          "schema",
          STRING,
          "kind",
          STRING,
          "path",
          STRING,
          "package",
          STRING,
          "version",
          STRING,
          "recorded",
          OBJECT,
          "current",
          OBJECT,
          "status",
          STRING);

  /** kind "key". */
  static final Map<String, Set<JsonNodeType>> KEY_SCHEMA =
      schema(
          "schema",
          STRING,
          "kind",
          STRING,
          "key_id",
          STRING,
          "owner",
          STRING_OR_NULL,
          "tiers",
          ARRAY,
          "status",
          STRING,
          "added_at",
          STRING_OR_NULL,
          "added_by",
          STRING_OR_NULL,
          "revoked_at",
          STRING_OR_NULL,
          "installed",
          ARRAY,
          "history",
          ARRAY);

  @TempDir static Path dir;
  static Fixture fx;
  static Agentpkg cli;
  static String adminTokenId;

  @BeforeAll
  static void installBothExamples() throws IOException {
    fx = new Fixture(dir);
    cli = fx.cli;
    fx.packExample("evidence", EVIDENCE);
    fx.packExample("runtime", RUNTIME);
    cli.json(0, "install", EVIDENCE, "--token", fx.adminToken);
    cli.json(0, "install", RUNTIME, "--token", fx.adminToken);
    adminTokenId = fx.adminToken.split("_", 3)[1];
  }

  static Map<String, Set<JsonNodeType>> schema(Object... pairs) {
    Map<String, Set<JsonNodeType>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      Set<JsonNodeType> types = (Set<JsonNodeType>) pairs[i + 1];
      m.put((String) pairs[i], types);
    }
    return m;
  }

  static void assertSchema(JsonNode node, Map<String, Set<JsonNodeType>> schema, String what) {
    for (Map.Entry<String, Set<JsonNodeType>> f : schema.entrySet()) {
      assertThat(node.has(f.getKey())).as("%s has field %s: %s", what, f.getKey(), node).isTrue();
      assertThat(f.getValue())
          .as("%s field %s type", what, f.getKey())
          .contains(node.get(f.getKey()).getNodeType());
    }
  }

  static JsonNode packageJson(String example) throws IOException {
    return Agentpkg.JSON.readTree(
        Files.readString(
            Agentpkg.example(example).resolve("package.json"), StandardCharsets.UTF_8));
  }

  static List<String> fileRows(String id) throws IOException {
    List<String> lines =
        Files.readAllLines(
            fx.root.resolve("registries/files").resolve(id + ".csv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("path,sha256,size,mode");
    return lines.subList(1, lines.size());
  }

  // ------------------------------------------------------------------ package ids

  @Test
  void runtimePackageIsExplainedFromPackageJsonRegistryAndLedger() throws IOException {
    JsonNode d = cli.json(0, "trace", "--explain", RUNTIME).json();
    explainedPackage(d, "runtime", RUNTIME);
    assertThat(d.get("runtime").get("entrypoint").asText())
        .isEqualTo(packageJson("runtime").get("runtime").get("entrypoint").asText());

    JsonNode deps = d.get("dependencies");
    assertThat(deps).hasSize(1);
    JsonNode dep = deps.get(0);
    assertSchema(dep, DEPENDENCY_SCHEMA, "dependency");
    assertThat(dep.get("id").asText()).isEqualTo(EVIDENCE);
    assertThat(dep.get("version").asText()).isEqualTo("0.1.0");
    assertThat(dep.get("wanted").asText()).contains("0.1.0");
    assertThat(dep.get("satisfied").asBoolean()).isTrue();
    assertThat(d.get("dependents")).isEmpty();
  }

  @Test
  void evidencePackageIsExplainedAndKnowsWhoNeedsIt() throws IOException {
    JsonNode d = cli.json(0, "trace", "--explain", EVIDENCE).json();
    explainedPackage(d, "evidence", EVIDENCE);
    assertThat(d.get("dependencies")).isEmpty();
    List<String> dependents = new ArrayList<>();
    d.get("dependents").forEach(n -> dependents.add(n.asText()));
    assertThat(dependents).containsExactly(RUNTIME);
    assertThat(d.has("runtime")).isFalse();
  }

  void explainedPackage(JsonNode d, String example, String id) throws IOException {
    assertSchema(d, PACKAGE_SCHEMA, id);
    assertThat(d.get("schema").asText()).isEqualTo("agentpkg/trace/v1");
    assertThat(d.get("kind").asText()).isEqualTo("package");
    assertThat(d.get("id").asText()).isEqualTo(id);
    assertThat(d.get("installed").asBoolean()).isTrue();

    JsonNode pj = packageJson(example);
    JsonNode identity = d.get("identity");
    assertSchema(identity, IDENTITY_SCHEMA, id + " identity");
    for (String f : List.of("id", "name", "version", "tier", "spec_id", "framework_id")) {
      assertThat(identity.get(f).asText()).as(f).isEqualTo(pj.get(f).asText());
    }

    JsonNode archive = d.get("archive");
    assertSchema(archive, ARCHIVE_SCHEMA, id + " archive");
    assertThat(archive.get("path").asText()).isEqualTo("packages_store/" + id + "-0.1.0.tar.gz");
    assertThat(archive.get("present").asBoolean()).isTrue();
    assertThat(archive.get("matches_installed").asBoolean()).isTrue();
    assertThat(archive.get("sha256").asText())
        .isEqualTo(archive.get("sha256_installed").asText())
        .contains(Sha256.hexOfFile(fx.root.resolve(archive.get("path").asText())));

    JsonNode signer = d.get("signer");
    assertThat(signer.get("key_id").asText()).isEqualTo(fx.keyId);
    assertThat(signer.get("status").asText()).isEqualTo("trusted");
    assertThat(signer.get("owner").asText()).isEqualTo("tests");

    JsonNode by = d.get("installed_by");
    assertThat(by.get("token_id").asText()).isEqualTo(adminTokenId);
    assertThat(by.get("role").asText()).isEqualTo("admin");
    assertThat(by.get("at").asText()).endsWith("Z");

    assertThat(d.get("capabilities")).isEqualTo(pj.get("capabilities"));

    JsonNode files = d.get("files");
    assertThat(files.get("count").getNodeType()).isEqualTo(JsonNodeType.NUMBER);
    assertThat(files.get("count").asInt()).isPositive().isEqualTo(fileRows(id).size());

    // the history is exactly what the ledger says about the package, entry for entry
    JsonNode ledger = cli.json(0, "ledger", "show", "--package", id).json().get("entries");
    assertThat(d.get("history")).isEqualTo(ledger);
    List<String> events = d.get("history").findValuesAsText("event");
    assertThat(events).containsSubsequence("PACKED", "INSTALL_STARTED", "INSTALLED");
    JsonNode installed = d.get("history").get(events.lastIndexOf("INSTALLED"));
    assertThat(installed.get("actor").get("token_id").asText()).isEqualTo(adminTokenId);
    // installed_at has whole seconds, the ledger milliseconds; both are taken during the install
    Instant at = Instant.parse(by.get("at").asText());
    Instant ts = Instant.parse(installed.get("ts").asText());
    assertThat(Duration.between(at, ts).abs()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void packageTextNamesTheSubject() {
    for (String id : List.of(RUNTIME, EVIDENCE)) {
      Agentpkg.Result r = cli.run("trace", "--explain", id).expect(0);
      assertThat(r.out()).startsWith(id + " 0.1.0").contains("signed by " + fx.keyId);
      assertThat(r.out()).contains("installed").contains(adminTokenId).contains("history:");
    }
    assertThat(cli.run("trace", "--explain", RUNTIME).out()).contains(EVIDENCE);
  }

  @Test
  void unknownPackageIsNotFound() {
    Agentpkg.Result r = cli.json(4, "trace", "--explain", "PKG-T2-NOPE-001");
    assertThat(r.err()).contains("PKG-T2-NOPE-001");
  }

  // ------------------------------------------------------------------ paths

  @Test
  void anOwnedFileShowsItsOwnerAndRecordedVsCurrentHash() throws IOException {
    Path jar = fx.root.resolve(RUNTIME_JAR);
    String actual = Sha256.hexOfFile(jar);
    // the example's paths and hashes hold no comma or quote, so unquoting each cell is enough
    String[] cols =
        fileRows(RUNTIME).stream()
            .map(l -> l.replace("\"", "").split(","))
            .filter(c -> c[0].equals(RUNTIME_JAR))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no row for " + RUNTIME_JAR));

    JsonNode d = cli.json(0, "trace", "--explain", RUNTIME_JAR).json();
    assertSchema(d, PATH_SCHEMA, "path");
    assertThat(d.get("schema").asText()).isEqualTo("agentpkg/trace/v1");
    assertThat(d.get("kind").asText()).isEqualTo("path");
    assertThat(d.get("path").asText()).isEqualTo(RUNTIME_JAR);
    assertThat(d.get("package").asText()).isEqualTo(RUNTIME);
    assertThat(d.get("version").asText()).isEqualTo("0.1.0");
    assertThat(d.get("recorded").get("sha256").asText()).isEqualTo(actual).isEqualTo(cols[1]);
    assertThat(d.get("recorded").get("size").asLong())
        .isEqualTo(Files.size(jar))
        .isEqualTo(Long.parseLong(cols[2]));
    assertThat(d.get("recorded").get("mode").asText()).isEqualTo(cols[3]);
    assertThat(d.get("current").get("exists").asBoolean()).isTrue();
    assertThat(d.get("current").get("sha256").asText()).isEqualTo(actual);
    assertThat(d.get("status").asText()).isEqualTo("ok");

    // an absolute path under the root is the same file
    JsonNode abs = cli.json(0, "trace", "--explain", jar.toString()).json();
    assertThat(abs.get("path").asText()).isEqualTo(RUNTIME_JAR);
    assertThat(abs.get("package").asText()).isEqualTo(RUNTIME);

    Agentpkg.Result text = cli.run("trace", "--explain", RUNTIME_JAR).expect(0);
    assertThat(text.out())
        .contains(RUNTIME_JAR + " is owned by " + RUNTIME)
        .contains(actual)
        .contains("status: ok");

    byte[] original = Files.readAllBytes(jar);
    try {
      Files.write(jar, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
      JsonNode edited = cli.json(0, "trace", "--explain", RUNTIME_JAR).json();
      assertThat(edited.get("status").asText()).isEqualTo("modified");
      assertThat(edited.get("recorded").get("sha256").asText()).isEqualTo(actual);
      assertThat(edited.get("current").get("sha256").asText())
          .isEqualTo(Sha256.hexOfFile(jar))
          .isNotEqualTo(actual);
      assertThat(cli.run("trace", "--explain", RUNTIME_JAR).expect(0).out())
          .contains("status: modified");
    } finally {
      Files.write(jar, original);
    }
    assertThat(cli.json(0, "trace", "--explain", RUNTIME_JAR).json().get("status").asText())
        .isEqualTo("ok");
  }

  @Test
  void anUnownedPathIsNotFoundAndSaysUnowned() throws IOException {
    Path stray = fx.root.resolve("modules/stray.txt");
    Files.writeString(stray, "nobody's\n");
    try {
      Agentpkg.Result r = cli.json(4, "trace", "--explain", "modules/stray.txt");
      assertThat(r.err()).contains("modules/stray.txt").contains("not owned by any package");
      assertThat(r.json().get("schema").asText()).isEqualTo("agentpkg/error/v1");
      Agentpkg.Result text = cli.run("trace", "--explain", "modules/stray.txt").expect(4);
      assertThat(text.err()).contains("modules/stray.txt").contains("exists but is not owned");
    } finally {
      Files.delete(stray);
    }
  }

  @Test
  void aPathThatDoesNotExistIsNotFound() {
    Agentpkg.Result r = cli.json(4, "trace", "--explain", "modules/no/such/file.txt");
    assertThat(r.err()).contains("modules/no/such/file.txt").contains("does not exist");
  }

  // ------------------------------------------------------------------ keys

  @Test
  void aKeyIdListsWhatItSignedAndInstalled() {
    JsonNode d = cli.json(0, "trace", "--explain", fx.keyId).json();
    assertSchema(d, KEY_SCHEMA, "key");
    assertThat(d.get("schema").asText()).isEqualTo("agentpkg/trace/v1");
    assertThat(d.get("kind").asText()).isEqualTo("key");
    assertThat(d.get("key_id").asText()).isEqualTo(fx.keyId);
    assertThat(d.get("owner").asText()).isEqualTo("tests");
    assertThat(d.get("status").asText()).isEqualTo("trusted");
    assertThat(d.get("added_by").asText()).isEqualTo(adminTokenId);
    assertThat(d.get("revoked_at").isNull()).isTrue();
    List<String> tiers = new ArrayList<>();
    d.get("tiers").forEach(t -> tiers.add(t.asText()));
    assertThat(tiers).containsExactlyInAnyOrder("G0", "T0", "T1", "T2", "T3");

    List<String> installed = new ArrayList<>();
    d.get("installed")
        .forEach(p -> installed.add(p.get("id").asText() + "@" + p.get("version").asText()));
    assertThat(installed).containsExactlyInAnyOrder(EVIDENCE + "@0.1.0", RUNTIME + "@0.1.0");

    // history: the key's trust, and each package packed and installed under it
    List<String> history = new ArrayList<>();
    d.get("history")
        .forEach(
            e ->
                history.add(
                    e.get("event").asText()
                        + (e.get("package").isObject()
                            ? " " + e.get("package").get("id").asText()
                            : "")));
    assertThat(history)
        .contains("KEY_TRUSTED")
        .contains("PACKED " + EVIDENCE, "PACKED " + RUNTIME)
        .contains("INSTALLED " + EVIDENCE, "INSTALLED " + RUNTIME);
    JsonNode ledger = cli.json(0, "ledger", "show").json().get("entries");
    for (JsonNode e : d.get("history")) {
      assertThat(ledger.get((int) e.get("seq").asLong() - 1)).isEqualTo(e);
    }

    JsonNode byPrefix = cli.json(0, "trace", "--explain", fx.keyId.substring(0, 8)).json();
    assertThat(byPrefix.get("key_id").asText()).isEqualTo(fx.keyId);
    assertThat(byPrefix.get("installed")).isEqualTo(d.get("installed"));

    Agentpkg.Result text = cli.run("trace", "--explain", fx.keyId).expect(0);
    assertThat(text.out())
        .startsWith("key " + fx.keyId)
        .contains("trusted")
        .contains(EVIDENCE + " 0.1.0")
        .contains(RUNTIME + " 0.1.0");
  }

  @Test
  void anUnknownKeyIsNotFound() {
    char first = fx.keyId.charAt(0);
    String other = (first == '0' ? "1" : "0") + fx.keyId.substring(1, 16);
    Agentpkg.Result r = cli.json(4, "trace", "--explain", other);
    assertThat(r.err()).contains(other);
  }
}
