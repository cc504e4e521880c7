package dev.agentpkg.registry.audit;

import dev.agentpkg.core.Handoff;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.state.OwnedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The re-hash of every owned file and store archive, running on its own threads from {@link #start}
 * until {@link #join}, so the caller checks the records and walks the root meanwhile. Each worker
 * takes the next short run of one directory's files (large and small files spread themselves) and
 * reads each file once through its own reused buffer and digest: memory stays at one buffer per
 * thread however many files there are.
 */
final class Rehash {
  private static final String[] MODES = modeStrings();
  private static final int RUN_FILES = 64;
  private static final long RUN_BYTES = 4L << 20;
  private static final Set<OpenOption> READ_NO_FOLLOW =
      Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  private final ExecutorService pool;
  private final Map<PackageId, Future<String>> store = new LinkedHashMap<>();
  private final List<Future<List<Finding>>> workers = new ArrayList<>();
  // owned paths that are there but not regular files: a directory among them may hide orphans
  private final ConcurrentLinkedQueue<String> irregular = new ConcurrentLinkedQueue<>();
  private final Path root;
  private final int threads;
  private long files;
  private long bytes;

  /** What the re-hash found and counted. */
  record Result(
      long files,
      long bytes,
      List<Finding> findings,
      Map<PackageId, String> store,
      List<String> irregular) {}

  private Rehash(Path root, int threads) {
    this.pool = Executors.newFixedThreadPool(threads);
    this.root = root;
    this.threads = threads;
  }

  /**
   * Starts hashing each package's store archive. They go first, before the file lists are even
   * read: one is as big as its payload, and on n cores it should be hashed beside the files (and
   * beside reading their lists), not after them.
   */
  static Rehash start(Path root, Map<PackageId, Path> archives, int threads) {
    Rehash r = new Rehash(root, threads);
    archives.forEach(
        (id, archive) ->
            r.store.put(
                id,
                r.pool.submit(
                    () ->
                        Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)
                            ? new Hasher().hex(archive)
                            : "missing")));
    return r;
  }

  /** Starts re-hashing the owned files; once, after {@link #start}. */
  void files(Map<PackageId, List<OwnedFile>> lists, HashProgress progress) {
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    List<String> owners = new ArrayList<>();
    List<OwnedFile> all = new ArrayList<>();
    for (Map.Entry<PackageId, List<OwnedFile>> e : lists.entrySet()) {
      for (OwnedFile f : e.getValue()) {
        owners.add(e.getKey().value());
        all.add(f);
        bytes += f.size();
      }
    }
    files = all.size();
    progress.start(all.size(), bytes);
    List<int[]> dirs = byDirectory(all);
    AtomicInteger next = new AtomicInteger();
    for (int w = 0; w < threads; w++) {
      workers.add(
          pool.submit(
              () -> {
                Hasher hasher = new Hasher();
                List<Finding> found = new ArrayList<>();
                for (int d; (d = next.getAndIncrement()) < dirs.size(); ) {
                  checkDirectory(all, owners, dirs.get(d), posix, hasher, found, progress);
                }
                return found;
              }));
    }
  }

  /**
   * Runs of consecutive files with the same parent, as [from, to) index pairs. The lists are sorted
   * by path, so a directory is opened once per run. A run also ends after {@link #RUN_FILES} files
   * or {@link #RUN_BYTES} bytes, so that the workers still share out one directory of large files
   * (8 files of 64 MiB in one run left one core idle for 0.1 s).
   */
  static List<int[]> byDirectory(List<OwnedFile> all) {
    List<int[]> runs = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 1; i <= all.size(); i++) {
      bytes += all.get(i - 1).size();
      if (i == all.size()
          || i - from >= RUN_FILES
          || bytes >= RUN_BYTES
          || !sameParent(all.get(i - 1).path(), all.get(i).path())) {
        runs.add(new int[] {from, i});
        from = i;
        bytes = 0;
      }
    }
    return runs;
  }

  private static boolean sameParent(String a, String b) {
    int slash = a.lastIndexOf('/');
    return slash == b.lastIndexOf('/') && a.regionMatches(0, b, 0, slash + 1);
  }

  /**
   * Checks one directory's files by name relative to the open directory (fstatat, openat), where
   * the file system offers that: a full path costs the kernel a lookup of every component twice per
   * file, the larger part of a small file's stat and open. Elsewhere, or when the directory cannot
   * be opened, each file is checked by its path and the failure reported per file.
   */
  private void checkDirectory(
      List<OwnedFile> all,
      List<String> owners,
      int[] run,
      boolean posix,
      Hasher hasher,
      List<Finding> out,
      HashProgress progress) {
    String first = all.get(run[0]).path();
    Path dir = root.resolve(first).getParent();
    SecureDirectoryStream<Path> sds = null;
    DirectoryStream<Path> ds = null;
    boolean gone = false;
    try {
      ds = Files.newDirectoryStream(dir);
      if (ds instanceof SecureDirectoryStream<Path> secure) {
        sds = secure;
      }
    } catch (NotDirectoryException e) {
      // a file where a directory was: its files are gone, and the orphan walk reports the file
      gone = true;
    } catch (IOException e) {
      // missing or unreadable: the per-path checks say which, per file
    }
    try {
      for (int i = run[0]; i < run[1]; i++) {
        OwnedFile f = all.get(i);
        Path p = root.resolve(f.path());
        if (gone) {
          out.add(missing(owners.get(i), f));
          progress.hashed(f.size());
          continue;
        }
        checkFile(new Target(p, sds), owners.get(i), f, posix, hasher, out);
        progress.hashed(f.size());
      }
    } finally {
      if (ds != null) {
        try {
          ds.close();
        } catch (IOException ignored) {
          // a directory opened for reading only: nothing to lose
        }
      }
    }
  }

  /** A file to check: by name in its open directory when {@code dir} is set, else by path. */
  private record Target(Path path, SecureDirectoryStream<Path> dir) {
    BasicFileAttributes attributes(boolean posix) throws IOException {
      if (dir == null) {
        return posix
            ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      }
      return posix
          ? dir.getFileAttributeView(
                  path.getFileName(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes()
          : dir.getFileAttributeView(
                  path.getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes();
    }

    SeekableByteChannel open() throws IOException {
      return dir == null
          ? FileChannel.open(path, StandardOpenOption.READ)
          : dir.newByteChannel(path.getFileName(), READ_NO_FOLLOW);
    }
  }

  /** Waits for every file and archive; the findings come in file-list order per worker. */
  Result join() {
    try {
      List<Finding> findings = new ArrayList<>();
      for (Future<List<Finding>> f : workers) {
        findings.addAll(Handoff.result(f, "hashing"));
      }
      Map<PackageId, String> digests = new LinkedHashMap<>();
      for (Map.Entry<PackageId, Future<String>> e : store.entrySet()) {
        digests.put(e.getKey(), Handoff.result(e.getValue(), "hashing"));
      }
      List<String> odd = new ArrayList<>(irregular);
      odd.sort(null);
      return new Result(files, bytes, findings, digests, odd);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Stops the workers without waiting, when the caller fails before {@link #join}. */
  void cancel() {
    pool.shutdownNow();
  }

  private static Finding missing(String pkg, OwnedFile f) {
    return Finding.ofPath(
        Finding.MISSING, pkg, f.path(), f.sha256(), "missing", f.path() + " is missing");
  }

  private static Finding modified(String pkg, OwnedFile f, String actual, String what) {
    return Finding.ofPath(Finding.MODIFIED, pkg, f.path(), f.sha256(), actual, f.path() + what);
  }

  private void checkFile(
      Target target, String pkg, OwnedFile f, boolean posix, Hasher hasher, List<Finding> out) {
    Path p = target.path();
    BasicFileAttributes attrs;
    try {
      attrs = target.attributes(posix);
    } catch (NoSuchFileException e) {
      out.add(missing(pkg, f));
      return;
    } catch (IOException e) {
      throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
    }
    if (!attrs.isRegularFile()) {
      irregular.add(f.path());
      out.add(
          modified(
              pkg,
              f,
              attrs.isSymbolicLink()
                  ? "symbolic link"
                  : attrs.isDirectory() ? "directory" : "not a regular file",
              " is no longer a regular file"));
      return;
    }
    String actual = hasher.hex(target, attrs.size());
    if (!actual.equals(f.sha256())) {
      out.add(modified(pkg, f, actual, " changed since install"));
    }
    if (attrs instanceof PosixFileAttributes pa) {
      String mode = mode(pa.permissions());
      if (!mode.equals(f.mode())) {
        out.add(
            Finding.ofPath(
                Finding.MODE_CHANGED,
                pkg,
                f.path(),
                f.mode(),
                mode,
                f.path() + " mode is " + mode + ", installed " + f.mode()));
      }
    }
  }

  /** The permission bits as four octal digits, e.g. "0644". */
  static String mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= 1 << (8 - p.ordinal());
    }
    return MODES[m];
  }

  // String.format per file was a measurable part of a worker's time on 20,000 small files
  private static String[] modeStrings() {
    String[] s = new String[512];
    for (int m = 0; m < 512; m++) {
      s[m] = "0" + (m >> 6) + ((m >> 3) & 7) + (m & 7);
    }
    return s;
  }

  /** One worker's digest and read buffer, reused for every file it hashes. */
  private static final class Hasher {
    private final MessageDigest md = Sha256.newDigest();
    private final byte[] buf = new byte[256 * 1024];
    private final ByteBuffer view = ByteBuffer.wrap(buf);

    String hex(Path p) {
      md.reset();
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        for (int n; (n = ch.read(view.clear())) >= 0; ) {
          md.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
      }
      return Sha256.hex(md);
    }

    /**
     * Reads the {@code size} bytes the file had when its attributes were read, and no further: the
     * read that would only confirm the end is one syscall of five per small file. A file that
     * shrank since hashes short and so differs; one that grew since is a race with the check, as
     * anything that changes during it is.
     */
    String hex(Target target, long size) {
      md.reset();
      try (SeekableByteChannel ch = target.open()) {
        for (long left = size; left > 0; ) {
          int n = ch.read(view.clear().limit((int) Math.min(buf.length, left)));
          if (n < 0) {
            break;
          }
          md.update(buf, 0, n);
          left -= n;
        }
      } catch (IOException e) {
        throw new StorageException("cannot read " + target.path() + ": " + e.getMessage(), e);
      }
      return Sha256.hex(md);
    }
  }
}
