package dev.agentpkg.integrity.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncompressibleTest {
  private static final int SEGMENT = Incompressible.SEGMENT;
  private final int[] histogram = new int[256];

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] text(int n) {
    byte[] line =
        "    return install(path, version); // the package and its hash\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[n];
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      b[i] = i % 97 == 0 ? (byte) ('a' + r.nextInt(26)) : line[i % line.length];
    }
    return b;
  }

  @Test
  void randomBytesAreStoredTextIsNot() {
    assertThat(Incompressible.segment(null, random(SEGMENT, 1), 0, histogram)).isTrue();
    assertThat(Incompressible.segment(null, text(SEGMENT), 0, histogram)).isFalse();
    assertThat(histogram).containsOnly(0);
  }

  @Test
  void aSegmentHalfTextHalfRandomIsCompressed() {
    byte[] data = text(SEGMENT);
    System.arraycopy(random(SEGMENT / 2, 2), 0, data, 0, SEGMENT / 2);
    assertThat(Incompressible.looksRandom(data, 0, histogram)).isFalse();
  }

  @Test
  void skewedButHighEntropyBytesAreCompressed() {
    // 64 distinct values uniformly (6 bits a byte, like base64): deflate's Huffman stage saves 25%
    byte[] data = random(SEGMENT, 4);
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (data[i] & 0x3f);
    }
    assertThat(Incompressible.looksRandom(data, 0, histogram)).isFalse();
  }

  @Test
  void aShortTailIsAlwaysCompressed() {
    assertThat(Incompressible.looksRandom(random(1023, 5), 0, histogram)).isFalse();
    assertThat(Incompressible.looksRandom(random(SEGMENT + 1023, 5), SEGMENT, histogram)).isFalse();
  }

  @Test
  void aRepeatAtARecordAlignedDistanceIsSeenInTheDataAndInTheDictionary() {
    byte[] file = random(SEGMENT, 6);
    byte[] data = new byte[3 * SEGMENT];
    System.arraycopy(random(3 * SEGMENT, 7), 0, data, 0, data.length);
    System.arraycopy(file, 0, data, 512, SEGMENT - 512);
    System.arraycopy(file, 0, data, 2 * SEGMENT, SEGMENT);
    // the copy at 2 * SEGMENT repeats the one at 512 (a multiple of 512 apart)
    assertThat(Incompressible.segment(null, data, 2 * SEGMENT, histogram)).isFalse();
    assertThat(Incompressible.segment(null, data, SEGMENT, histogram)).isTrue();

    byte[] dictionary = Arrays.copyOf(random(32 * 1024, 8), 32 * 1024);
    System.arraycopy(file, 0, dictionary, 32 * 1024 - SEGMENT, SEGMENT);
    assertThat(Incompressible.segment(dictionary, file, 0, histogram)).isFalse();
    assertThat(Incompressible.segment(random(32 * 1024, 9), file, 0, histogram)).isTrue();
  }

  @Test
  void aRepeatAtAnUnalignedDistanceOrBeyondTheWindowIsNotLookedFor() {
    byte[] file = random(SEGMENT, 10);
    byte[] dictionary = random(32 * 1024, 11);
    System.arraycopy(file, 0, dictionary, 100, SEGMENT);
    assertThat(Incompressible.segment(dictionary, file, 0, histogram)).isTrue();
    byte[] far = random(40 * 1024, 12);
    System.arraycopy(file, 0, far, 0, SEGMENT);
    System.arraycopy(file, 0, far, 36 * 1024, SEGMENT);
    assertThat(Incompressible.segment(null, far, 36 * 1024, histogram)).isTrue();
  }
}
