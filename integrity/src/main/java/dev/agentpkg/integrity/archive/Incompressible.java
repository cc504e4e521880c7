package dev.agentpkg.integrity.archive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tells bytes deflate cannot shrink (random, encrypted, already compressed) from bytes it can, so
 * the gzip writer stores them instead of searching them for matches: zlib spends about as long on
 * random bytes as on text at level 6 (~54 MB/s here) only to emit stored blocks in the end.
 *
 * <p>A {@link #SEGMENT}-byte segment is stored when its order-0 entropy is near 8 bits a byte and
 * it does not repeat earlier bytes within deflate's 32 KiB reach at a 512-byte-aligned distance,
 * which is how a file packed twice lies in a tar stream. Other exact repeats of random bytes are
 * not seen; those are stored too, the one case where the output is larger than zlib's alone.
 */
final class Incompressible {
  static final int SEGMENT = 4096;

  /**
   * Bits per byte above which a segment counts as random. 4 KiB of uniform random bytes measure
   * ~7.95 (a finite sample falls short of 8); text measures 4-6, and a segment that is half text
   * half random ~7.2, which deflate still shrinks by a quarter.
   */
  private static final double RANDOM_BITS = 7.8;

  /** Shorter segments (a block's tail) measure too low to judge and are always compressed. */
  private static final int MIN_SEGMENT = 1024;

  /** Tar's record alignment: a file packed twice repeats at a multiple of this distance. */
  private static final int RECORD = 512;

  private static final int WINDOW = 32 * 1024;

  /**
   * c * log2(c) for every count a segment can hold, with StrictMath: Math.log may differ by an ulp
   * between the interpreter and compiled code, and a verdict that flipped would change the bytes.
   */
  private static final double[] C_LOG_C = new double[SEGMENT + 1];

  static {
    for (int c = 1; c <= SEGMENT; c++) {
      C_LOG_C[c] = c * (StrictMath.log(c) / StrictMath.log(2));
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Incompressible() {}

  /**
   * Whether the segment of {@code data} at {@code off} is better stored than deflated.
   *
   * @param dictionary the bytes before {@code data} in the stream (up to 32 KiB), or null; {@code
   *     data} starts at a multiple of 512 in the stream
   * @param histogram 256 zeroed counters, left zeroed, so one array serves every call of a thread
   */
  static boolean segment(byte[] dictionary, byte[] data, int off, int[] histogram) {
    return looksRandom(data, off, histogram) && !repeatsEarlier(dictionary, data, off);
  }

  static boolean looksRandom(byte[] data, int off, int[] histogram) {
    int end = Math.min(data.length, off + SEGMENT);
    int n = end - off;
    if (n < MIN_SEGMENT) {
      return false;
    }
    for (int i = off; i < end; i++) {
      histogram[data[i] & 0xff]++;
    }
    double sum = 0;
    for (int b = 0; b < 256; b++) {
      sum += C_LOG_C[histogram[b]];
      histogram[b] = 0;
    }
    // H = log2(n) - sum / n, compared without a division
    double log2n = StrictMath.log(n) / StrictMath.log(2);
    return sum < n * (log2n - RANDOM_BITS);
  }

  /**
   * Whether an 8-byte word at a record boundary of the segment equals one at an earlier record
   * boundary within the window: 8 x 64 comparisons per segment, nothing kept between calls.
   */
  static boolean repeatsEarlier(byte[] dictionary, byte[] data, int off) {
    int before = dictionary == null ? 0 : dictionary.length;
    int end = Math.min(data.length, off + SEGMENT);
    for (int p = off; p + Long.BYTES <= end; p += RECORD) {
      long word = wordAt(dictionary, before, data, before + p);
      int from = Math.max(before + p - WINDOW, before % RECORD);
      for (int q = from; q < before + p; q += RECORD) {
        if (wordAt(dictionary, before, data, q) == word) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The 8 bytes at position {@code pos} of dictionary followed by data. Positions at record
   * boundaries are congruent to the dictionary's length modulo 512, so a word never straddles the
   * two arrays.
   */
  private static long wordAt(byte[] dictionary, int before, byte[] data, int pos) {
    return pos < before ? (long) LONGS.get(dictionary, pos) : (long) LONGS.get(data, pos - before);
  }
}
