package dev.agentpkg.registry.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The single read of an archive: what the reader sees, the copy and the digest are one stream. */
class CopyingSourceTest {
  FileSystem fs;
  Path source;
  Path copy;
  byte[] bytes;

  @BeforeEach
  void setUp() throws Exception {
    fs = Jimfs.newFileSystem(Configuration.unix());
    source = fs.getPath("/in.tar.gz");
    copy = fs.getPath("/copy.tar.gz");
    // several chunks and a partial one, so chunk reuse and the queue's back-pressure both happen
    bytes = new byte[256 * 1024 * 21 + 12345];
    new Random(3).nextBytes(bytes);
    Files.write(source, bytes);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void theReaderTheCopyAndTheDigestSeeTheSameBytes() throws Exception {
    byte[] seen;
    String digest;
    try (CopyingSource in = CopyingSource.open(source, copy)) {
      seen = readOddly(in.stream(), Integer.MAX_VALUE);
      digest = in.finish();
    }
    assertThat(seen).isEqualTo(bytes);
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    assertThat(digest).isEqualTo(Sha256.hex(bytes));
  }

  @Test
  void finishReadsWhatTheReaderLeft() throws Exception {
    String digest;
    try (CopyingSource in = CopyingSource.open(source, copy)) {
      assertThat(readOddly(in.stream(), 1000)).hasSize(1000);
      digest = in.finish();
      assertThat(in.stream().read()).isEqualTo(-1);
    }
    assertThat(digest).isEqualTo(Sha256.hex(bytes));
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
  }

  @Test
  void closingWithoutFinishingEndsTheCopyThread() throws Exception {
    try (CopyingSource in = CopyingSource.open(source, copy)) {
      readOddly(in.stream(), 300_000);
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("agentpkg-archive-copy") && t.isAlive());
  }

  @Test
  void aMissingSourceIsNotFoundAndAnExistingCopyIsAStorageError() throws Exception {
    assertThatThrownBy(() -> CopyingSource.open(fs.getPath("/nope.tar.gz"), copy))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("/nope.tar.gz");
    Files.write(copy, new byte[] {1});
    assertThatThrownBy(() -> CopyingSource.open(source, copy))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("/copy.tar.gz");
    assertThat(Files.readAllBytes(copy)).containsExactly(1);
  }

  @Test
  void anEmptySourceHasTheEmptyDigest() throws Exception {
    Files.write(source, new byte[0]);
    try (CopyingSource in = CopyingSource.open(source, copy)) {
      assertThat(in.stream().read()).isEqualTo(-1);
      assertThat(in.finish()).isEqualTo(Sha256.hex(new byte[0]));
    }
    assertThat(Files.size(copy)).isZero();
  }

  /** Reads up to {@code max} bytes in reads of varying sizes, single bytes among them. */
  private static byte[] readOddly(InputStream in, int max) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int[] sizes = {1, 7, 4096, 100_000, 300_000};
    byte[] buf = new byte[300_000];
    for (int i = 0; out.size() < max; i++) {
      int want = Math.min(sizes[i % sizes.length], max - out.size());
      if (want == 1) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
        continue;
      }
      int n = in.read(buf, 0, want);
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
