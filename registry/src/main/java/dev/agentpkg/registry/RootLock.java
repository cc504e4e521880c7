package dev.agentpkg.registry;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.OperationFailedException;
import dev.agentpkg.core.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The root lock, {@code .agentpkg/lock}: an exclusive OS file lock held for the whole command, plus
 * the holder (pid, command, token id, start time) written into the file so that a waiting command
 * can say who it waits for. An OS lock dies with its process, so a lock file left behind by a
 * crashed process is simply taken over.
 */
public final class RootLock implements AutoCloseable {
  /**
   * One slot per lock file in this JVM. POSIX record locks belong to the process, not to a channel:
   * a second thread would not be refused by the OS, and closing any other descriptor of the file
   * would silently drop the lock. Threads of one JVM therefore queue here first, and only the
   * slot's owner ever opens the lock file. This mirrors the JVM's own file-lock table, which is
   * global for the same reason.
   */
  private static final ConcurrentHashMap<SlotKey, Slot> SLOTS = new ConcurrentHashMap<>();

  /** equals/hashCode written out: a record's are bootstrapped through indy, ~6 ms on first use. */
  private record SlotKey(FileSystem fileSystem, String path) {
    @Override
    public boolean equals(Object o) {
      return o instanceof SlotKey k && k.fileSystem.equals(fileSystem) && k.path.equals(path);
    }

    @Override
    public int hashCode() {
      return 31 * fileSystem.hashCode() + path.hashCode();
    }
  }

  private static final class Slot {
    final Semaphore permit = new Semaphore(1);
    volatile String holder;
  }

  private final Slot slot;
  private final FileChannel channel;
  private final FileLock lock;
  private final Optional<String> takenOverFrom;
  private boolean closed;

  private RootLock(Slot slot, FileChannel channel, FileLock lock, Optional<String> takenOverFrom) {
    this.slot = slot;
    this.channel = channel;
    this.lock = lock;
    this.takenOverFrom = takenOverFrom;
  }

  /**
   * Takes the lock, waiting up to {@code timeout}; a ConflictException names the holder.
   *
   * @param command what the caller is doing, e.g. "install PKG-T1-RUNTIME-001" (no "agentpkg")
   */
  public static RootLock acquire(
      Root root, String command, Optional<String> tokenId, Duration timeout, Clock clock) {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    Path file = lockFile(root);
    Slot slot =
        SLOTS.computeIfAbsent(new SlotKey(file.getFileSystem(), file.toString()), k -> new Slot());
    String mine =
        holderText(
            ProcessHandle.current().pid(),
            command,
            tokenId.orElse(""),
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    String lastHolder = null;
    while (true) {
      if (slot.permit.tryAcquire()) {
        boolean keep = false;
        FileChannel ch = null;
        try {
          ch =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          FileLock lock = tryLock(ch);
          if (lock != null) {
            Optional<String> previous = staleHolder(readHolder(ch));
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(mine.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            slot.holder = mine;
            keep = true;
            return new RootLock(slot, ch, lock, previous);
          }
          String seen = readHolder(ch);
          lastHolder = seen.isBlank() ? lastHolder : seen;
        } catch (IOException e) {
          throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
        } finally {
          if (!keep) {
            closeQuietly(ch);
            slot.permit.release();
          }
        }
      } else {
        String seen = slot.holder;
        lastHolder = seen == null ? lastHolder : seen;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new ConflictException(
            "root is locked by " + describe(lastHolder) + "; waited " + format(timeout));
      }
      sleep(
          Math.min(
              left, Duration.ofMillis(50 + ThreadLocalRandom.current().nextInt(51)).toNanos()));
    }
  }

  /** The holder recorded by a process that died (or otherwise lost the lock) before us. */
  public Optional<String> takenOverFrom() {
    return takenOverFrom;
  }

  /** Releases the lock and empties the holder info. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      slot.holder = null;
      try {
        channel.truncate(0);
        channel.force(true);
      } catch (IOException ignored) {
        // the OS lock is what excludes others; stale holder text is reported as taken over
      }
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel below releases it as well
      }
      closeQuietly(channel);
    } finally {
      slot.permit.release();
    }
  }

  private static Path lockFile(Root root) {
    Path dir = root.privateDir();
    try {
      if (!Files.isDirectory(dir)) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      return dir.toRealPath().resolve(root.lockFile().getFileName().toString());
    } catch (IOException e) {
      throw new StorageException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held elsewhere in this JVM, outside RootLock's slots: as held as any other holder.
      return null;
    }
  }

  private static String readHolder(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
      // keep reading: the holder text is small, and a larger file is not ours to trust anyway
    }
    buf.flip();
    return StandardCharsets.UTF_8.decode(buf).toString();
  }

  static String holderText(long pid, String command, String tokenId, String since) {
    return "pid="
        + pid
        + "\ncommand="
        + oneLine(command)
        + "\ntoken_id="
        + oneLine(tokenId)
        + "\nsince="
        + since
        + "\n";
  }

  private static Map<String, String> parse(String holder) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : holder.split("\n", -1)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return fields;
  }

  /** "pid N (agentpkg CMD, token T) since S", from whatever the lock file held. */
  static String describe(String holder) {
    if (holder == null || holder.isBlank()) {
      return "another agentpkg process (holder not recorded yet)";
    }
    Map<String, String> f = parse(holder);
    StringBuilder sb = new StringBuilder("pid ").append(f.getOrDefault("pid", "?"));
    sb.append(" (agentpkg ").append(f.getOrDefault("command", "?"));
    String token = f.getOrDefault("token_id", "");
    if (!token.isEmpty()) {
      sb.append(", token ").append(token);
    }
    sb.append(") since ").append(f.getOrDefault("since", "?"));
    return sb.toString();
  }

  private static Optional<String> staleHolder(String previous) {
    if (previous.isBlank()) {
      return Optional.empty();
    }
    String why = "which no longer holds the lock";
    try {
      long pid = Long.parseLong(parse(previous).getOrDefault("pid", ""));
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        why = "which is no longer running";
      }
    } catch (NumberFormatException e) {
      why = "an unreadable lock record";
    }
    return Optional.of(describe(previous) + ", " + why);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\p{Cntrl}", " ").trim();
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while waiting for the root lock", e);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing was written through it that matters
      }
    }
  }
}
