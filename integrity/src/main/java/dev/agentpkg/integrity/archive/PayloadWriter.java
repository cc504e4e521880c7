package dev.agentpkg.integrity.archive;

import static dev.agentpkg.integrity.archive.TarEntryReader.refuse;

import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.Handoff;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hashes payload files and writes them to the sink on a second thread, so that inflating and
 * parsing the tar (the reader's thread) overlaps with hashing and file creation: on two cores a
 * 20,000-file install spends about as long in each half.
 *
 * <p>Work arrives in archive order and is done in that order, so the first refusal this thread
 * finds is the one for the earliest bad entry; the reader asks for it with {@link #failure()}
 * before it reports a refusal of its own for a later entry. Memory stays bounded: chunks come from
 * a fixed pool that the reader waits on.
 */
final class PayloadWriter implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS = 32;
  private static final long WAIT_MS = 100;

  private final EntrySink sink;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
  private final BlockingQueue<Task> work = new ArrayBlockingQueue<>(CHUNKS + 8);
  private final Thread thread;
  private volatile RuntimeException failure;

  /**
   * One step, in archive order: a file starts ({@code file} set), some of its bytes ({@code chunk}
   * set), it ends ({@code end}), or any of these at once: a file that fits in one chunk is one
   * hand-over, not three.
   */
  private record Task(ExpectedFile file, byte[] chunk, int length, boolean end) {}

  /** Told apart from a task by identity. */
  private static final Task STOP = new Task(null, null, 0, false);

  PayloadWriter(EntrySink sink) {
    this.sink = sink;
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new byte[CHUNK]);
    }
    thread = new Thread(this::loop, "agentpkg-payload-writer");
    thread.setDaemon(true);
    // an Error on this thread becomes the read's failure, not a stack trace on the user's stderr
    thread.setUncaughtExceptionHandler(
        (t, e) -> failure = new StorageException("payload writer failed: " + e, e));
    thread.start();
  }

  /** A free chunk for the reader to fill; waits while the writer is behind. */
  byte[] chunk() {
    return Handoff.take(free, this::requireAlive, "extracting");
  }

  /** A writer that died (an Error on its thread) must not leave the reader waiting forever. */
  private void requireAlive() {
    if (!thread.isAlive()) {
      RuntimeException f = failure;
      throw f != null ? f : new StorageException("the payload writer thread stopped");
    }
  }

  /** Gives back a chunk the reader took but did not fill. */
  void unused(byte[] chunk) {
    free.add(chunk);
  }

  /**
   * Hands over the next part of the current file: {@code first} is set on its first part only,
   * {@code chunk} may be null (no bytes), and {@code end} ends the file.
   */
  void part(ExpectedFile first, byte[] chunk, int length, boolean end) {
    put(new Task(first, chunk, length, end));
  }

  /** The refusal or write error of an entry already handed over, if any. */
  RuntimeException failure() {
    return failure;
  }

  /** Waits until everything handed over is hashed and written; throws the first failure. */
  void finish() {
    stop();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Stops after the work queued so far, whose outcome {@link #failure()} then tells; returns only
   * once the thread has ended, so the caller may delete what it wrote.
   */
  @Override
  public void close() {
    stop();
  }

  private void stop() {
    if (!thread.isAlive()) {
      return;
    }
    boolean interrupted = false;
    boolean sent = false;
    while (thread.isAlive()) {
      try {
        if (!sent) {
          sent = work.offer(STOP, WAIT_MS, TimeUnit.MILLISECONDS);
        } else {
          thread.join();
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Task t) {
    RuntimeException f = failure;
    if (f != null) {
      recycle(t);
      throw f;
    }
    Handoff.put(work, t, this::requireAlive, "extracting");
  }

  private void loop() {
    MessageDigest md = Sha256.newDigest();
    ExpectedFile current = null;
    OutputStream out = null;
    try {
      for (Task t; (t = work.take()) != STOP; ) {
        if (failure != null) {
          recycle(t);
          continue;
        }
        try {
          if (t.file() != null) {
            current = t.file();
            md.reset();
            out = sink.open(current);
          }
          if (t.chunk() != null) {
            md.update(t.chunk(), 0, t.length());
            out.write(t.chunk(), 0, t.length());
          }
          if (t.end()) {
            OutputStream done = out;
            out = null;
            done.close();
            String actual = Sha256.hex(md);
            if (!actual.equals(current.sha256())) {
              failure =
                  refuse(
                      current.path(),
                      "SHA-256 " + actual + " differs from the manifest's " + current.sha256());
            }
          }
        } catch (IOException e) {
          failure =
              new StorageException("cannot write '" + current.path() + "': " + e.getMessage(), e);
        } catch (AgentpkgException | IllegalArgumentException e) {
          failure = e;
        } catch (RuntimeException e) {
          failure = new StorageException("payload writer failed: " + e, e);
        } finally {
          recycle(t);
        }
      }
    } catch (InterruptedException e) {
      failure = new StorageException("interrupted while extracting", e);
    } finally {
      closeQuietly(out);
    }
  }

  private void recycle(Task t) {
    if (t.chunk() != null) {
      free.add(t.chunk());
    }
  }

  /** An entry cut short by a refusal leaves a partial staged file; staging is discarded anyway. */
  private static void closeQuietly(OutputStream out) {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException ignored) {
      // the read has already failed, and staging goes with it
    }
  }
}
