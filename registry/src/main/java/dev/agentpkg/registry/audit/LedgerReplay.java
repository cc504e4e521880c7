package dev.agentpkg.registry.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the ledger's install and uninstall events say is installed: per package its version, archive
 * and manifest digests, signer and file-list digest. Comparing this with the registry catches a
 * registry (or an ownership record) rewritten after the fact, which no file hash alone could.
 */
final class LedgerReplay {
  record Installed(
      String version,
      String archiveSha256,
      String manifestSha256,
      String signerKeyId,
      String filesSha256,
      long seq) {}

  private LedgerReplay() {}

  static Map<String, Installed> replay(List<String> lines) {
    Map<String, Installed> state = new TreeMap<>();
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      LedgerEntry e = LedgerEntry.parse(line);
      if (e.pkg() == null) {
        continue;
      }
      JsonNode d = e.details();
      switch (e.event()) {
        case "INSTALLED" -> {
          state.put(
              e.pkg().id(),
              new Installed(
                  e.pkg().version(),
                  d.path("archive_sha256").asText(),
                  d.path("manifest_sha256").asText(),
                  d.path("signer_keyid").asText(),
                  d.path("files_sha256").asText(),
                  e.seq()));
          for (Iterator<Map.Entry<String, JsonNode>> it = d.path("transferred_from").fields();
              it.hasNext(); ) {
            Map.Entry<String, JsonNode> gave = it.next();
            Installed old = state.get(gave.getKey());
            if (old != null) {
              state.put(
                  gave.getKey(),
                  new Installed(
                      old.version(),
                      old.archiveSha256(),
                      old.manifestSha256(),
                      old.signerKeyId(),
                      gave.getValue().asText(),
                      e.seq()));
            }
          }
        }
        case "UNINSTALLED" -> state.remove(e.pkg().id());
        default -> {
          // other events do not change what is installed
        }
      }
    }
    return state;
  }
}
