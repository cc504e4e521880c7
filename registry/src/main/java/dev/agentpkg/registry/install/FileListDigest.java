package dev.agentpkg.registry.install;

import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.PathRules;
import dev.agentpkg.registry.state.OwnedFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One digest over a package's whole file list (path, hash, size, mode), recorded in the ledger at
 * install. Replaying the ledger can then prove the registry's per-file records were not rewritten
 * afterwards, even to match a tampered file.
 */
public final class FileListDigest {
  private FileListDigest() {}

  public static String of(List<OwnedFile> files) {
    List<OwnedFile> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> PathRules.compareUtf8(a.path(), b.path()));
    MessageDigest md = Sha256.newDigest();
    for (OwnedFile f : sorted) {
      String line = f.path() + "\t" + f.sha256() + "\t" + f.size() + "\t" + f.mode() + "\n";
      md.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return Sha256.hex(md);
  }
}
