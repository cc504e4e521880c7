package dev.agentpkg.registry.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.Instants;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.integrity.manifest.VersionRange;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Package states as journal JSON, so a crashed transaction can be replayed exactly. */
final class StateJson {
  private StateJson() {}

  static ObjectNode toJson(PackageState s) {
    ObjectNode n = Json.object();
    n.put("id", s.id().value());
    if (s.record().isPresent()) {
      PackageRecord r = s.record().get();
      ObjectNode rec = n.putObject("record");
      rec.put("name", r.name());
      rec.put("version", r.version().toString());
      rec.put("tier", r.tier().name());
      rec.put("spec_id", r.specId());
      rec.put("framework_id", r.frameworkId() == null ? "" : r.frameworkId());
      rec.put("status", r.status());
      rec.put("archive_sha256", r.archiveSha256());
      rec.put("manifest_sha256", r.manifestSha256());
      rec.put("signer_keyid", r.signerKeyId());
      ArrayNode deps = rec.putArray("dependencies");
      r.dependencies()
          .forEach(
              d -> deps.addObject().put("id", d.id().value()).put("version", d.range().toString()));
      rec.put("installed_at", Instants.format(r.installedAt()));
      rec.put("installed_by", r.installedBy());
    } else {
      n.putNull("record");
    }
    ArrayNode files = n.putArray("files");
    for (OwnedFile f : s.files()) {
      files
          .addObject()
          .put("path", f.path())
          .put("sha256", f.sha256())
          .put("size", f.size())
          .put("mode", f.mode());
    }
    return n;
  }

  static PackageState fromJson(JsonNode n, String what) {
    PackageId id = PackageId.of(n.path("id").asText());
    Optional<PackageRecord> record = Optional.empty();
    JsonNode rec = n.path("record");
    if (rec.isObject()) {
      List<Dependency> deps = new ArrayList<>();
      rec.path("dependencies")
          .forEach(
              d ->
                  deps.add(
                      new Dependency(
                          PackageId.of(d.path("id").asText()),
                          VersionRange.parse(d.path("version").asText()))));
      String framework = rec.path("framework_id").asText();
      record =
          Optional.of(
              new PackageRecord(
                  id,
                  rec.path("name").asText(),
                  SemVer.parse(rec.path("version").asText()),
                  Tier.parse(rec.path("tier").asText()),
                  rec.path("spec_id").asText(),
                  framework.isEmpty() ? null : framework,
                  rec.path("status").asText(),
                  rec.path("archive_sha256").asText(),
                  rec.path("manifest_sha256").asText(),
                  rec.path("signer_keyid").asText(),
                  deps,
                  Instants.parse(rec.path("installed_at").asText()),
                  rec.path("installed_by").asText()));
    }
    List<OwnedFile> files = new ArrayList<>();
    n.path("files")
        .forEach(
            f ->
                files.add(
                    new OwnedFile(
                        f.path("path").asText(),
                        f.path("sha256").asText(),
                        f.path("size").asLong(),
                        f.path("mode").asText())));
    return new PackageState(id, record, files);
  }
}
