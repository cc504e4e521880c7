package dev.agentpkg.cli;

import dev.agentpkg.registry.audit.HashProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * "hashed N/M files, X MiB" on stderr every 500 ms while a re-hash runs, drawn by its own daemon
 * thread from the checker's counters: the hashing threads never wait on the terminal, and a check
 * done within the first half second prints nothing. On a terminal the line is redrawn in place and
 * erased at the end; when forced onto a pipe or file ({@code --progress}) each update is one line.
 */
final class ProgressLine implements AutoCloseable {
  static final long PERIOD_MS = 500;
  private final PrintStream err;
  private final boolean terminal;
  private final HashProgress progress;
  private final ScheduledExecutorService timer;
  private boolean drawn;

  ProgressLine(PrintStream err, boolean terminal, HashProgress progress) {
    this.err = err;
    this.terminal = terminal;
    this.progress = progress;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "agentpkg-progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::draw, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  static String text(long files, long totalFiles, long bytes) {
    return String.format(
        Locale.ROOT, "hashed %d/%d files, %.1f MiB", files, totalFiles, bytes / (1024.0 * 1024.0));
  }

  private synchronized void draw() {
    if (progress.totalFiles() == 0) {
      return; // still reading the file lists
    }
    String line = text(progress.files(), progress.totalFiles(), progress.bytes());
    if (terminal) {
      err.print("\r" + line + "\u001b[K");
    } else {
      err.println(line);
    }
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (drawn && terminal) {
        err.print("\r\u001b[K");
        err.flush();
      }
    }
  }
}
