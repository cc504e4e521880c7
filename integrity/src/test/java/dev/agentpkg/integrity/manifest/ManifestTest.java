package dev.agentpkg.integrity.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestTest {
  private static final String SHA1 = "1".repeat(64);
  private static final String SHA2 = "2".repeat(64);
  private static final String JAR = "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar";

  private static final String PACKAGE_JSON =
      """
      {
        "id": "PKG-T1-RUNTIME-001",
        "name": "Agent Runtime Module",
        "version": "0.1.0",
        "tier": "T1",
        "spec_id": "SPEC-RUNTIME-001",
        "framework_id": "FMWK-100",
        "description": "Runs agents",
        "dependencies": [
          {"id": "PKG-T1-UTIL-001", "version": "1.0.0"},
          {"id": "PKG-T0-EVIDENCE-001", "version": ">=0.1.0   <1.0.0"}
        ],
        "capabilities": {"read": ["ledger/*.jsonl"], "write": [], "execute": [], "forbidden": ["**/secret*"]},
        "runtime": {"entrypoint": "com.example.runtime.RuntimeModule", "classpath": ["%s"]}
      }
      """
          .formatted(JAR);

  private static final String MANIFEST_A =
      """
      {"schema":"agentpkg/manifest/v1","id":"PKG-T1-RUNTIME-001","name":"Agent Runtime Module",
       "version":"0.1.0","tier":"T1","spec_id":"SPEC-RUNTIME-001","framework_id":"FMWK-100",
       "description":"Runs agents",
       "dependencies":[{"id":"PKG-T0-EVIDENCE-001","version":">=0.1.0 <1.0.0"}],
       "capabilities":{"read":["ledger/*.jsonl"],"write":[],"execute":[],"forbidden":[]},
       "runtime":{"entrypoint":"com.example.runtime.RuntimeModule","classpath":["%s"]},
       "files":[{"path":"%s","sha256":"%s","size":1234,"mode":"0644"},
                {"path":"modules/PKG-T1-RUNTIME-001/run.sh","sha256":"%s","size":7,"mode":"0755"}]}
      """
          .formatted(JAR, JAR, SHA1, SHA2);

  private static final String MANIFEST_B =
      """
      {
        "files" : [
          { "mode" : "0644", "size" : 1234, "sha256" : "%s", "path" : "%s" },
          { "size" : 7, "path" : "modules/PKG-T1-RUNTIME-001/run.sh", "mode" : "0755", "sha256" : "%s" }
        ],
        "runtime" : { "classpath" : [ "%s" ], "entrypoint" : "com.example.runtime.RuntimeModule" },
        "capabilities" : { "forbidden" : [ ], "execute" : [ ], "write" : [ ], "read" : [ "ledger/*.jsonl" ] },
        "dependencies" : [ { "version" : ">=0.1.0 <1.0.0", "id" : "PKG-T0-EVIDENCE-001" } ],
        "description" : "Runs agents",
        "framework_id" : "FMWK-100",
        "spec_id" : "SPEC-RUNTIME-001",
        "tier" : "T1",
        "version" : "0.1.0",
        "name" : "Agent Runtime Module",
        "id" : "PKG-T1-RUNTIME-001",
        "schema" : "agentpkg/manifest/v1"
      }
      """
          .formatted(SHA1, JAR, SHA2, JAR);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void canonicalBytesDoNotDependOnKeyOrderOrSpacing() {
    Manifest a = Manifest.parse(utf8(MANIFEST_A), "a");
    Manifest b = Manifest.parse(utf8(MANIFEST_B), "b");
    assertThat(a).isEqualTo(b);
    assertThat(a.canonicalBytes()).isEqualTo(b.canonicalBytes());
    String canonical = new String(a.canonicalBytes(), StandardCharsets.UTF_8);
    assertThat(canonical)
        .startsWith(
            "{\"capabilities\":{\"execute\":[],\"forbidden\":[],\"read\":[\"ledger/*.jsonl\"],"
                + "\"write\":[]},\"dependencies\":[{\"id\":\"PKG-T0-EVIDENCE-001\","
                + "\"version\":\">=0.1.0 <1.0.0\"}],\"description\":\"Runs agents\","
                + "\"files\":[{\"mode\":\"0644\",\"path\":\""
                + JAR
                + "\",\"sha256\":\""
                + SHA1
                + "\",\"size\":1234}")
        .endsWith(
            "\"framework_id\":\"FMWK-100\",\"id\":\"PKG-T1-RUNTIME-001\","
                + "\"name\":\"Agent Runtime Module\",\"runtime\":{\"classpath\":[\""
                + JAR
                + "\"],\"entrypoint\":\"com.example.runtime.RuntimeModule\"},"
                + "\"schema\":\"agentpkg/manifest/v1\",\"spec_id\":\"SPEC-RUNTIME-001\","
                + "\"tier\":\"T1\",\"version\":\"0.1.0\"}")
        .doesNotContain(" \"", "\n");
  }

  @Test
  void parseOfCanonicalBytesRoundTrips() {
    Manifest m = Manifest.parse(utf8(MANIFEST_A), "a");
    byte[] bytes = m.canonicalBytes();
    Manifest again = Manifest.parse(bytes, "again");
    assertThat(again).isEqualTo(m);
    assertThat(again.canonicalBytes()).isEqualTo(bytes);
    assertThat(CanonicalJson.bytes(Json.parse(bytes, "x"))).isEqualTo(bytes);
  }

  @Test
  void accessorsDelegateToTheDescriptor() {
    Manifest m = Manifest.parse(utf8(MANIFEST_A), "a");
    assertThat(m.id()).isEqualTo(PackageId.of("PKG-T1-RUNTIME-001"));
    assertThat(m.version()).isEqualTo(SemVer.of(0, 1, 0));
    assertThat(m.tier()).isEqualTo(Tier.T1);
    assertThat(m.runtime().classpath()).containsExactly(JAR);
    assertThat(m.dependencies())
        .extracting(d -> d.id().value())
        .containsExactly("PKG-T0-EVIDENCE-001");
    assertThat(m.capabilities().read()).containsExactly("ledger/*.jsonl");
    assertThat(m.archiveFileName()).isEqualTo("PKG-T1-RUNTIME-001-0.1.0.tar.gz");
    assertThat(m.totalSize()).isEqualTo(1241);
    assertThat(m.files().get(1).modeBits()).isEqualTo(0755);
  }

  @Test
  void packageJsonBecomesAManifestWithSortedFilesAndDependencies() {
    PackageDescriptor d = PackageDescriptor.parse(utf8(PACKAGE_JSON), "package.json");
    assertThat(d.dependencies())
        .extracting(dep -> dep.id().value())
        .containsExactly("PKG-T0-EVIDENCE-001", "PKG-T1-UTIL-001");
    assertThat(d.dependencies().get(0).range().toString()).isEqualTo(">=0.1.0 <1.0.0");
    Manifest m =
        d.toManifest(
            List.of(
                new FileEntry("modules/PKG-T1-RUNTIME-001/\uD83D\uDE00", SHA1, 1, "0644"),
                new FileEntry("modules/PKG-T1-RUNTIME-001/\uFF61", SHA1, 1, "0644"),
                new FileEntry(JAR, SHA2, 2, "0644"),
                new FileEntry("modules/PKG-T1-RUNTIME-001/Z", SHA1, 3, "0644")));
    assertThat(m.files())
        .extracting(FileEntry::path)
        .containsExactly(
            "modules/PKG-T1-RUNTIME-001/Z",
            JAR,
            "modules/PKG-T1-RUNTIME-001/\uFF61",
            "modules/PKG-T1-RUNTIME-001/\uD83D\uDE00");
    assertThat(Manifest.parse(m.canonicalBytes(), "m")).isEqualTo(m);
    assertThat(PackageDescriptor.parse(CanonicalJson.bytes(d.toJson()), "again")).isEqualTo(d);
  }

  @Test
  void minimalPackageJsonGetsDefaults() {
    PackageDescriptor d =
        PackageDescriptor.parse(
            utf8(
                """
                {"id":"PKG-T3-LIB-001","name":"lib","version":"1.0.0","tier":"T3","spec_id":"SPEC-X"}
                """),
            "package.json");
    assertThat(d.description()).isEmpty();
    assertThat(d.frameworkId()).isNull();
    assertThat(d.runtime()).isNull();
    assertThat(d.dependencies()).isEmpty();
    assertThat(d.capabilities()).isEqualTo(Capabilities.none());
    ObjectNode json = d.toManifest(List.of()).toJson();
    assertThat(json.has("framework_id")).isFalse();
    assertThat(json.has("runtime")).isFalse();
    assertThat(json.get("description").textValue()).isEmpty();
    assertThat(json.get("files").size()).isZero();
  }

  static Stream<Arguments> badPackageJson() {
    String base = "\"name\":\"n\",\"version\":\"1.0.0\",\"spec_id\":\"SPEC-X\"";
    return Stream.of(
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T0\"," + base + "}",
            "package.json: id PKG-T1-X-001 says tier T1 but tier is T0"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-1\",\"tier\":\"T1\"," + base + "}",
            "package.json: id: invalid package id 'PKG-T1-X-1'"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"t1\"," + base + "}",
            "package.json: tier 't1' is not one of G0, T0, T1, T2, T3"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"name\":\"n\",\"version\":\"1.0.0\","
                + "\"spec_id\":\"spec-x\"}",
            "package.json: spec_id 'spec-x' is invalid"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"name\":\"n\",\"version\":\"1.0.0\"}",
            "package.json: missing required key 'spec_id'"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"framework_id\":\"FW-1\"," + base + "}",
            "package.json: framework_id 'FW-1' is invalid"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"name\":\"n\",\"version\":\"1.0\","
                + "\"spec_id\":\"SPEC-X\"}",
            "package.json: version: invalid version '1.0'"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"name\":\" \",\"version\":\"1.0.0\","
                + "\"spec_id\":\"SPEC-X\"}",
            "package.json: name is empty"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"name\":\""
                + "n".repeat(201)
                + "\",\"version\":\"1.0.0\",\"spec_id\":\"SPEC-X\"}",
            "package.json: name is 201 characters"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"description\":\""
                + "d".repeat(4001)
                + "\","
                + base
                + "}",
            "package.json: description is 4001 characters"),
        Arguments.of(
            "{\"id\":\"PKG-T1-X-001\",\"tier\":\"T1\",\"dependencies\":"
                + "[{\"id\":\"PKG-T1-X-001\",\"version\":\"1.0.0\"}],"
                + base
                + "}",
            "package.json: package PKG-T1-X-001 may not depend on itself"),
        Arguments.of(
            "{\"id\":\"PKG-T0-X-001\",\"tier\":\"T0\",\"dependencies\":"
                + "[{\"id\":\"PKG-T1-Y-001\",\"version\":\"1.0.0\"}],"
                + base
                + "}",
            "package.json: T0 package may not depend on T1 package PKG-T1-Y-001"),
        Arguments.of(
            "{\"id\":\"PKG-G0-X-001\",\"tier\":\"G0\",\"dependencies\":"
                + "[{\"id\":\"PKG-G0-Y-001\",\"version\":\"1.0.0\"}],"
                + base
                + "}",
            "package.json: G0 package may not have dependencies"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"dependencies\":"
                + "[{\"id\":\"PKG-T1-Y-001\",\"version\":\"1.0.0\"},"
                + "{\"id\":\"PKG-T1-Y-001\",\"version\":\">=1.0.0\"}],"
                + base
                + "}",
            "package.json: dependency PKG-T1-Y-001 is listed twice"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"dependencies\":"
                + "[{\"id\":\"PKG-T1-Y-001\",\"version\":\"^1.0.0\"}],"
                + base
                + "}",
            "package.json: dependencies[0].version: invalid version range '^1.0.0'"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"dependencies\":"
                + "[{\"id\":\"PKG-T1-Y-001\",\"range\":\"1.0.0\"}],"
                + base
                + "}",
            "package.json: unknown key 'dependencies[0].range'"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"dependecies\":[]," + base + "}",
            "package.json: unknown key 'dependecies'"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"capabilities\":{\"reads\":[]},"
                + base
                + "}",
            "package.json: unknown key 'capabilities.reads'"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"capabilities\":{\"read\":[\"../x\"]},"
                + base
                + "}",
            "package.json: capabilities.read pattern '../x': has a '..' component"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"files\":[]," + base + "}",
            "package.json: key 'files' is computed by pack"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"schema\":\"x\"," + base + "}",
            "package.json: key 'schema' is computed by pack"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"name\":1,\"version\":\"1.0.0\","
                + "\"spec_id\":\"SPEC-X\"}",
            "package.json: name must be a string, got number"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"framework_id\":null," + base + "}",
            "package.json: framework_id must be a string, got null"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"dependencies\":{}," + base + "}",
            "package.json: dependencies must be an array, got object"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\",\"runtime\":{\"entrypoint\":\"a.B\"},"
                + base
                + "}",
            "package.json: missing required key 'runtime.classpath'"),
        Arguments.of(
            "{\"id\":\"PKG-T2-X-001\",\"id\":\"PKG-T2-X-001\",\"tier\":\"T2\"," + base + "}",
            "package.json: malformed JSON"),
        Arguments.of("[1]", "package.json: must be a JSON object, got array"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badPackageJson")
  void badPackageJsonIsRefusedNamingFieldAndValue(String json, String message) {
    assertThatThrownBy(() -> PackageDescriptor.parse(utf8(json), "package.json"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void tierRulesAllowSameOrMoreTrustedTiers() {
    PackageDescriptor d =
        descriptor(
            "PKG-T2-X-001",
            Tier.T2,
            "PKG-G0-A-001",
            "PKG-T0-B-001",
            "PKG-T1-C-001",
            "PKG-T2-D-001");
    assertThat(d.dependencies()).hasSize(4);
    assertThatThrownBy(() -> descriptor("PKG-T2-X-001", Tier.T2, "PKG-T3-Z-001"))
        .hasMessage("T2 package may not depend on T3 package PKG-T3-Z-001");
    assertThatCode(() -> descriptor("PKG-G0-X-001", Tier.G0)).doesNotThrowAnyException();
  }

  static Stream<Arguments> badManifests() {
    String ok = MANIFEST_A;
    return Stream.of(
        Arguments.of(
            ok.replace("agentpkg/manifest/v1", "agentpkg/manifest/v2"),
            "manifest.json in X.tar.gz: schema 'agentpkg/manifest/v2' is not supported"),
        Arguments.of(
            ok.replace("\"schema\":\"agentpkg/manifest/v1\",", ""),
            "manifest.json in X.tar.gz: missing required key 'schema'"),
        Arguments.of(
            ok.replace("\"description\":\"Runs agents\",", ""),
            "manifest.json in X.tar.gz: missing required key 'description'"),
        Arguments.of(
            ok.replace("\"write\":[],", ""),
            "manifest.json in X.tar.gz: missing required key 'capabilities.write'"),
        Arguments.of(
            ok.replace("\"tier\":\"T1\"", "\"tier\":\"T1\",\"signed\":true"),
            "manifest.json in X.tar.gz: unknown key 'signed'"),
        Arguments.of(
            ok.replace("\"size\":7", "\"size\":7.5"),
            "manifest.json in X.tar.gz: files[1].size must be an integer, got number"),
        Arguments.of(
            ok.replace("\"size\":7", "\"size\":\"7\""),
            "manifest.json in X.tar.gz: files[1].size must be an integer, got string"),
        Arguments.of(
            ok.replace("\"size\":7", "\"size\":-7"),
            "manifest.json in X.tar.gz: files[1]: file 'modules/PKG-T1-RUNTIME-001/run.sh': size -7"),
        Arguments.of(
            ok.replace("\"mode\":\"0755\"", "\"mode\":\"0777\""),
            "manifest.json in X.tar.gz: files[1]: file 'modules/PKG-T1-RUNTIME-001/run.sh': mode '0777'"),
        Arguments.of(
            ok.replace("\"mode\":\"0755\"", "\"mode\":\"0755\",\"uid\":0"),
            "manifest.json in X.tar.gz: unknown key 'files[1].uid'"),
        Arguments.of(
            ok.replace("modules/PKG-T1-RUNTIME-001/run.sh", "../run.sh"),
            "manifest.json in X.tar.gz: files[1]: path '../run.sh': has a '..' component"),
        Arguments.of(
            ok.replace("modules/PKG-T1-RUNTIME-001/run.sh", "ledger/x"),
            "manifest.json in X.tar.gz: files[1]: path 'ledger/x': is under the reserved directory"),
        Arguments.of(
            ok.replace("modules/PKG-T1-RUNTIME-001/run.sh", "a/run.sh"),
            "manifest.json in X.tar.gz: files: not sorted by path"),
        Arguments.of(
            ok.replace("modules/PKG-T1-RUNTIME-001/run.sh", JAR),
            "manifest.json in X.tar.gz: files: path '" + JAR + "' is listed twice"),
        Arguments.of(
            ok.replace(
                "modules/PKG-T1-RUNTIME-001/run.sh",
                "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar/x"),
            "manifest.json in X.tar.gz: path '" + JAR + "' is a file but also a directory"),
        Arguments.of(
            ok.replace(
                "modules/PKG-T1-RUNTIME-001/run.sh",
                "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jaR"),
            "manifest.json in X.tar.gz: files: not sorted"),
        Arguments.of(
            ok.replace(
                    "modules/PKG-T1-RUNTIME-001/run.sh",
                    "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jarx")
                .replace("\"classpath\":[\"" + JAR, "\"classpath\":[\"lib/missing.jar"),
            "manifest.json in X.tar.gz: runtime.classpath entry 'lib/missing.jar' is not one of the package's files"),
        Arguments.of(
            ok.replace("\"sha256\":\"" + SHA1, "\"sha256\":\"" + "A".repeat(64)),
            "manifest.json in X.tar.gz: files[0]: file '" + JAR + "': sha256"),
        Arguments.of(
            ok.replace("\"files\":[", "\"files\":{\"x\":[").replace("}]}", "}]}}"),
            "manifest.json in X.tar.gz: files must be an array, got object"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badManifests")
  void badManifestsAreRefused(String json, String message) {
    assertThatThrownBy(() -> Manifest.parse(utf8(json), "manifest.json in X.tar.gz"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void caseFoldCollisionInFilesIsRefused() {
    PackageDescriptor d = descriptor("PKG-T3-X-001", Tier.T3);
    assertThatThrownBy(
            () ->
                d.toManifest(
                    List.of(
                        new FileEntry("A/x", SHA1, 1, "0644"),
                        new FileEntry("a/x", SHA1, 1, "0644"))))
        .isInstanceOf(UsageException.class)
        .hasMessage("paths 'A/x' and 'a/x' differ only in case");
    assertThatThrownBy(
            () ->
                d.toManifest(
                    List.of(
                        new FileEntry("caf\u00e9", SHA1, 1, "0644"),
                        new FileEntry("dir", SHA1, 1, "0644"),
                        new FileEntry("dir/f", SHA1, 1, "0644"))))
        .hasMessage("path 'dir' is a file but also a directory of path 'dir/f'");
  }

  @Test
  void classpathEntryMustBeAListedFile() {
    PackageDescriptor d =
        new PackageDescriptor(
            PackageId.of("PKG-T1-R-001"),
            "r",
            SemVer.of(1, 0, 0),
            Tier.T1,
            "SPEC-R",
            null,
            null,
            List.of(),
            null,
            new RuntimeSpec("a.Main", List.of("lib/a.jar", "lib/b.jar")));
    FileEntry a = new FileEntry("lib/a.jar", SHA1, 1, "0644");
    assertThatThrownBy(() -> d.toManifest(List.of(a)))
        .isInstanceOf(UsageException.class)
        .hasMessage("runtime.classpath entry 'lib/b.jar' is not one of the package's files");
    assertThatCode(() -> d.toManifest(List.of(new FileEntry("lib/b.jar", SHA2, 1, "0644"), a)))
        .doesNotThrowAnyException();
  }

  @Test
  void manifestConstructorRefusesUnsortedFiles() {
    PackageDescriptor d = descriptor("PKG-T3-X-001", Tier.T3);
    List<FileEntry> unsorted =
        List.of(new FileEntry("b", SHA1, 1, "0644"), new FileEntry("a", SHA1, 1, "0644"));
    assertThatThrownBy(() -> new Manifest(d, unsorted)).hasMessageContaining("not sorted");
    assertThat(d.toManifest(unsorted).files())
        .extracting(FileEntry::path)
        .containsExactly("a", "b");
  }

  private static PackageDescriptor descriptor(String id, Tier tier, String... deps) {
    return new PackageDescriptor(
        PackageId.of(id),
        "name",
        SemVer.of(1, 0, 0),
        tier,
        "SPEC-1",
        null,
        "",
        Stream.of(deps)
            .map(dep -> new Dependency(PackageId.of(dep), VersionRange.parse(">=0.0.0")))
            .toList(),
        Capabilities.none(),
        null);
  }
}
