package dev.agentpkg.integrity.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * pigz-style gzip: the input is cut into fixed 128 KiB blocks that are deflated concurrently, each
 * primed with the previous block's last 32 KiB as preset dictionary and ended with a sync flush, so
 * the concatenated pieces form ONE standard deflate stream inside ONE gzip member.
 *
 * <p>Within a block, 4 KiB segments that deflate cannot shrink are written as stored blocks at
 * level 0 instead of being searched for matches ({@link Incompressible}): that halves the CPU of
 * packing a tree that is half random bytes, at no cost in size there.
 *
 * <p>Block boundaries depend only on the byte count, never on timing, so the output is
 * byte-identical whatever the thread count. The header is fixed (mtime 0, no name, XFL 0, OS 255)
 * so it is also identical on every operating system.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK_SIZE = 128 * 1024;
  static final int DICT_SIZE = 32 * 1024;

  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff,
  };

  private final OutputStream out;
  private final int level;
  private final int maxInFlight;
  private final ExecutorService pool;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK_SIZE];
  private int blockLength;
  private byte[] previousBlock;
  private long totalIn;
  private boolean headerWritten;
  private boolean closed;

  public ParallelGzipOutputStream(OutputStream out, int level, int threads) {
    this.out = Objects.requireNonNull(out, "out");
    if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("gzip level must be 0..9, got " + level);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.level = level;
    this.maxInFlight = 2 * threads;
    this.pool = Executors.newFixedThreadPool(threads, new DaemonThreads());
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    block[blockLength++] = (byte) b;
    crc.update(b);
    totalIn++;
    if (blockLength == BLOCK_SIZE) {
      submitBlock(false);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    crc.update(b, off, len);
    totalIn += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK_SIZE - blockLength);
      System.arraycopy(b, off, block, blockLength, n);
      blockLength += n;
      off += n;
      len -= n;
      if (blockLength == BLOCK_SIZE) {
        submitBlock(false);
      }
    }
  }

  /**
   * Writes the blocks already compressed and flushes the target. It deliberately does not cut the
   * current block: a flush-dependent boundary would make the output depend on the caller's timing.
   */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    while (!inFlight.isEmpty()) {
      writeNextDone();
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream target = out) {
      submitBlock(true);
      while (!inFlight.isEmpty()) {
        writeNextDone();
      }
      byte[] trailer = new byte[8];
      putIntLe(trailer, 0, (int) crc.getValue());
      putIntLe(trailer, 4, (int) totalIn);
      target.write(trailer);
    } finally {
      for (Future<byte[]> f : inFlight) {
        f.cancel(true);
      }
      inFlight.clear();
      pool.shutdownNow();
    }
  }

  private void submitBlock(boolean last) throws IOException {
    if (!headerWritten) {
      out.write(HEADER);
      headerWritten = true;
    }
    byte[] data = blockLength == BLOCK_SIZE ? block : Arrays.copyOf(block, blockLength);
    byte[] dictionary = dictionaryFrom(previousBlock);
    int lvl = level;
    inFlight.add(pool.submit(() -> deflate(data, dictionary, lvl, last)));
    previousBlock = data;
    // The submitted array is now owned by the task; never reuse it.
    block = new byte[BLOCK_SIZE];
    blockLength = 0;
    while (inFlight.size() >= maxInFlight) {
      writeNextDone();
    }
  }

  private static byte[] dictionaryFrom(byte[] previous) {
    if (previous == null) {
      return null;
    }
    int n = Math.min(DICT_SIZE, previous.length);
    return Arrays.copyOfRange(previous, previous.length - n, previous.length);
  }

  private void writeNextDone() throws IOException {
    Future<byte[]> next = inFlight.poll();
    try {
      out.write(next.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException("gzip compression failed: " + cause, cause);
    }
  }

  static byte[] deflate(byte[] data, byte[] dictionary, int level, boolean last) {
    Deflater deflater = new Deflater(level, true);
    try {
      if (dictionary != null) {
        deflater.setDictionary(dictionary);
      }
      Output out = new Output(data.length + data.length / 8 + 64);
      int current = level;
      int[] histogram = new int[256];
      boolean stored = level > 0 && Incompressible.segment(dictionary, data, 0, histogram);
      for (int start = 0; start < data.length; ) {
        // a run of segments with the same verdict; the segment that ends it starts the next run,
        // its verdict carried over rather than worked out again
        int end = Math.min(data.length, start + Incompressible.SEGMENT);
        boolean next = stored;
        while (end < data.length
            && (next = level > 0 && Incompressible.segment(dictionary, data, end, histogram))
                == stored) {
          end = Math.min(data.length, end + Incompressible.SEGMENT);
        }
        int wanted = stored ? Deflater.NO_COMPRESSION : level;
        if (wanted != current) {
          deflater.setLevel(wanted);
          current = wanted;
          // zlib switches level only with no input pending; an empty call lets it finish the
          // earlier input at the old level first
          deflater.setInput(data, start, 0);
          out.drain(deflater, Deflater.NO_FLUSH);
        }
        deflater.setInput(data, start, end - start);
        while (!deflater.needsInput()) {
          out.drain(deflater, Deflater.NO_FLUSH);
        }
        start = end;
        stored = next;
      }
      if (last) {
        deflater.finish();
        while (!deflater.finished()) {
          out.drain(deflater, Deflater.NO_FLUSH);
        }
      } else {
        out.drain(deflater, Deflater.SYNC_FLUSH);
      }
      return out.bytes();
    } finally {
      deflater.end();
    }
  }

  /** Growing output buffer for one block. */
  private static final class Output {
    private byte[] buf;
    private int len;

    Output(int capacity) {
      buf = new byte[capacity];
    }

    /**
     * Deflates until the call no longer fills the space it was given: only then has a flush (or a
     * level switch) completed, whatever input remains.
     */
    void drain(Deflater deflater, int flush) {
      while (true) {
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int space = buf.length - len;
        int n = deflater.deflate(buf, len, space, flush);
        len += n;
        if (n < space) {
          return;
        }
      }
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }

  private static void putIntLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "agentpkg-gzip-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
