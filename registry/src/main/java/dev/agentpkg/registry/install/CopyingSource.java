package dev.agentpkg.registry.install;

import dev.agentpkg.core.Handoff;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The one read of an archive being installed: every byte the archive reader consumes is, on a
 * second thread, hashed and appended to the private copy in staging, so the archive is read once
 * and the copy is exactly the bytes that were checked. {@link #finish} reads whatever the reader
 * left (after a refusal, the digest still covers the whole file) and returns the SHA-256.
 */
final class CopyingSource implements AutoCloseable {
  private static final int CHUNK = 256 * 1024;
  private static final int CHUNKS = 8;

  /** Told apart from a chunk by identity. */
  private static final Chunk END = new Chunk(new byte[0], 0);

  private final Path sourcePath;
  private final InputStream source;
  private final OutputStream copy;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final MessageDigest md = Sha256.newDigest();
  private final Thread thread;
  private final Stream stream = new Stream();
  private volatile RuntimeException failure;
  private byte[] current;
  private int pos;
  private int limit;
  private boolean eof;
  private String digest;

  private record Chunk(byte[] bytes, int length) {}

  private CopyingSource(Path sourcePath, InputStream source, OutputStream copy) {
    this.sourcePath = sourcePath;
    this.source = source;
    this.copy = copy;
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new byte[CHUNK]);
    }
    thread = new Thread(this::loop, "agentpkg-archive-copy");
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler(
        (t, e) -> failure = new StorageException("archive copy failed: " + e, e));
    thread.start();
  }

  /** Opens {@code source} and creates {@code copy} (which must not exist yet). */
  static CopyingSource open(Path source, Path copy) {
    InputStream in;
    try {
      in = Files.newInputStream(source);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("archive " + source + " does not exist");
    } catch (IOException e) {
      throw new StorageException("cannot read " + source + ": " + e.getMessage(), e);
    }
    try {
      return new CopyingSource(
          source, in, Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW));
    } catch (IOException e) {
      closeQuietly(in);
      throw new StorageException("cannot create " + copy + ": " + e.getMessage(), e);
    }
  }

  /** The archive's bytes, for one reader on the calling thread. */
  InputStream stream() {
    return stream;
  }

  /**
   * Reads the rest of the source, waits until every byte is hashed and in the copy, and returns the
   * archive's SHA-256 in hex.
   */
  String finish() {
    if (digest != null) {
      return digest;
    }
    while (!eof) {
      fill();
    }
    pos = limit; // the reader is done: what is left was read for the digest only
    join();
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    digest = Sha256.hex(md);
    return digest;
  }

  /** Ends the copy thread and closes both files; call {@link #finish} first to keep the digest. */
  @Override
  public void close() {
    if (!eof) {
      eof = true;
      offer(END);
    }
    join();
    closeQuietly(source);
  }

  private final class Stream extends InputStream {
    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      while (pos == limit) {
        if (eof) {
          return -1;
        }
        fill();
      }
      int n = Math.min(len, limit - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** The next chunk of the source, handed to the copy thread as it becomes the current one. */
  private void fill() {
    byte[] buf = take();
    int n;
    try {
      do {
        n = source.read(buf, 0, CHUNK);
      } while (n == 0);
    } catch (IOException e) {
      free.add(buf);
      throw new StorageException("cannot read " + sourcePath + ": " + e.getMessage(), e);
    }
    if (n < 0) {
      free.add(buf);
      eof = true;
      offer(END);
      return;
    }
    // the copy thread only reads the chunk too, and gives it back once done; this thread takes a
    // free chunk only after it has served all of the current one
    offer(new Chunk(buf, n));
    current = buf;
    pos = 0;
    limit = n;
  }

  private byte[] take() {
    return Handoff.take(free, this::requireAlive, "reading " + sourcePath);
  }

  private void offer(Chunk chunk) {
    try {
      Handoff.put(full, chunk, this::requireAlive, "reading " + sourcePath);
    } catch (RuntimeException e) {
      // the end is offered on every close, also after the copy thread has failed
      if (chunk != END) {
        throw e;
      }
    }
  }

  private void requireAlive() {
    if (!thread.isAlive()) {
      RuntimeException f = failure;
      throw f != null ? f : new StorageException("the archive copy thread stopped");
    }
  }

  private void loop() {
    try (OutputStream out = copy) {
      for (Chunk c; (c = full.take()) != END; ) {
        md.update(c.bytes(), 0, c.length());
        out.write(c.bytes(), 0, c.length());
        free.add(c.bytes());
      }
    } catch (IOException e) {
      failure = new StorageException("cannot write the staging copy: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      failure = new StorageException("archive copy interrupted", e);
    }
  }

  private void join() {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }
}
