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
  private static final int CHUNK = 64 * 1024;

  private FileListDigest() {}

  public static String of(List<OwnedFile> files) {
    List<OwnedFile> sorted = files;
    if (!inPathOrder(files)) {
      sorted = new ArrayList<>(files);
      sorted.sort((a, b) -> PathRules.compareUtf8(a.path(), b.path()));
    }
    MessageDigest md = Sha256.newDigest();
    // lines go to the digest in chunks: one update per ~100-byte line was most of the cost
    StringBuilder chunk = new StringBuilder(CHUNK + 512);
    for (OwnedFile f : sorted) {
      chunk.append(f.path()).append('\t').append(f.sha256()).append('\t').append(f.size());
      chunk.append('\t').append(f.mode()).append('\n');
      if (chunk.length() >= CHUNK) {
        md.update(chunk.toString().getBytes(StandardCharsets.UTF_8));
        chunk.setLength(0);
      }
    }
    md.update(chunk.toString().getBytes(StandardCharsets.UTF_8));
    return Sha256.hex(md);
  }

  /** Whether the list is already sorted by path, as file lists are read: then there is no copy. */
  private static boolean inPathOrder(List<OwnedFile> files) {
    for (int i = 1; i < files.size(); i++) {
      if (PathRules.compareUtf8(files.get(i - 1).path(), files.get(i).path()) > 0) {
        return false;
      }
    }
    return true;
  }
}
