package dev.agentpkg.registry.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.registry.state.OwnedFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileListDigestTest {
  private static final String HASH = "ab".repeat(32);

  @Test
  void isTheSha256OfOneTabSeparatedLinePerFileInPathOrder() {
    // 2,000 lines of ~100 bytes cross the 64 KiB chunks several times
    List<OwnedFile> files = new ArrayList<>();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      String path = String.format("m/dir/f%05d-é.txt", i);
      String mode = i % 7 == 0 ? "0755" : "0644";
      files.add(new OwnedFile(path, HASH, i * 1000L, mode));
      expected.append(path).append('\t').append(HASH).append('\t').append(i * 1000L);
      expected.append('\t').append(mode).append('\n');
    }
    String want = Sha256.hex(expected.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(FileListDigest.of(files)).isEqualTo(want);
    List<OwnedFile> shuffled = new ArrayList<>(files);
    Collections.reverse(shuffled);
    assertThat(FileListDigest.of(shuffled)).isEqualTo(want);
    assertThat(shuffled.get(0)).isEqualTo(files.get(1999)); // the caller's list is left as it was
  }

  @Test
  void anEmptyListHasTheDigestOfNothing() {
    assertThat(FileListDigest.of(List.of())).isEqualTo(Sha256.hex(new byte[0]));
  }
}
