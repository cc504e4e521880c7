package dev.agentpkg.integrity.archive;

import static dev.agentpkg.integrity.archive.TarEntryReader.refuse;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The one way agentpkg reads a package archive, for {@code verify} and {@code install} alike. It
 * streams a single pass over gzip and tar, enforcing {@link ArchiveLimits} as it goes, and accepts
 * exactly: one gzip member holding a tar whose first entry is {@code manifest.json}, followed by
 * the regular files the manifest handler expects (plus directory entries for their parents), each
 * with the expected mode, size and SHA-256, and nothing after the tar end but zero padding.
 *
 * <p>Every refusal is a {@link VerificationException} naming the entry and the rule. Failures to
 * read the source or write the sink are {@link StorageException}s. The reader writes nothing
 * itself; payload bytes go only to the {@link EntrySink}, before their hash is confirmed.
 */
public final class PackageArchiveReader {
  static final String MANIFEST = "manifest.json";
  private static final int CHUNK = 64 * 1024;
  private static final int GZIP_FEXTRA = 4;
  private static final int GZIP_FNAME = 8;
  private static final int GZIP_FCOMMENT = 16;

  private final ArchiveLimits limits;

  public PackageArchiveReader(ArchiveLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Reads and verifies the archive; the caller keeps ownership of (and closes) the input. */
  public ArchiveReadResult read(InputStream gzipTarBytes, ManifestHandler handler, EntrySink sink) {
    Objects.requireNonNull(gzipTarBytes, "gzipTarBytes");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(sink, "sink");
    // Our own buffered stream: the gzip reader rewinds it to just past the member's trailer, so
    // whatever follows the member is still there for us to find.
    BufferedInputStream raw = new BufferedInputStream(new SourceStream(gzipTarBytes), CHUNK);
    TarEntryReader tar = null;
    try {
      checkGzipHeader(raw);
      try (GzipCompressorInputStream gzip =
          GzipCompressorInputStream.builder()
              .setInputStream(raw)
              .setDecompressConcatenated(false)
              .get()) {
        tar = new TarEntryReader(gzip, limits.maxHeaderBytes());
        ArchiveReadResult result = new Pass(tar, handler, sink).run();
        if (raw.read() >= 0) {
          throw new VerificationException(
              "archive: data after the gzip member (a second member or trailing bytes)");
        }
        return result;
      }
    } catch (SourceException e) {
      throw new StorageException("cannot read the archive: " + e.getCause().getMessage(), e);
    } catch (IOException e) {
      String where = tar == null ? "archive" : "archive entry '" + tar.currentName() + "'";
      throw new VerificationException(
          where + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The gzip reader buffers an optional file name or comment without bound, and agentpkg archives
   * carry neither, so a header that announces one is refused before the reader sees it.
   */
  private static void checkGzipHeader(BufferedInputStream raw) throws IOException {
    raw.mark(10);
    byte[] h = raw.readNBytes(10);
    raw.reset();
    if (h.length < 10 || (h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b) {
      throw new VerificationException("archive: not a gzip stream");
    }
    if (h[2] != 8) {
      throw new VerificationException("archive: gzip compression method " + h[2] + " unsupported");
    }
    if ((h[3] & (GZIP_FEXTRA | GZIP_FNAME | GZIP_FCOMMENT)) != 0) {
      throw new VerificationException(
          "archive: gzip header carries an extra field, file name or comment");
    }
  }

  /** The state of one read. */
  private final class Pass {
    private final TarEntryReader tar;
    private final ManifestHandler handler;
    private final EntrySink sink;
    private PayloadWriter writer;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> allowedDirs = new HashSet<>();
    private Map<String, ExpectedFile> expected;
    private byte[] manifest;
    private long entries;
    private int payloadEntries;
    private long payloadBytes;

    Pass(TarEntryReader tar, ManifestHandler handler, EntrySink sink) {
      this.tar = tar;
      this.handler = handler;
      this.sink = sink;
    }

    ArchiveReadResult run() throws IOException {
      try {
        return readAll();
      } catch (IOException | RuntimeException e) {
        // an entry already handed to the writer came first in the archive: its refusal wins
        RuntimeException earlier = stopWriter();
        if (earlier != null && earlier != e) {
          throw earlier;
        }
        throw e;
      } finally {
        stopWriter();
      }
    }

    private RuntimeException stopWriter() {
      if (writer == null) {
        return null;
      }
      writer.close();
      return writer.failure();
    }

    private ArchiveReadResult readAll() throws IOException {
      for (TarEntryReader.Entry e; (e = tar.next()) != null; ) {
        if (++entries > limits.maxEntries()) {
          throw refuse(e.name(), "more than " + limits.maxEntries() + " entries in the archive");
        }
        if (manifest == null) {
          readManifest(e);
        } else {
          readPayloadEntry(e);
        }
      }
      if (writer != null) {
        writer.finish();
      }
      if (manifest == null) {
        throw new VerificationException("archive: no entries (manifest.json missing)");
      }
      // every file entry read was a distinct manifest path, so equal counts mean none is missing;
      // sorting 20,000 paths only to find the set empty cost ~30 ms on the commit's critical path
      if (payloadEntries != expected.size()) {
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(seen);
        throw new VerificationException(
            "manifest lists '"
                + TarEntryReader.display(missing.first())
                + "' but the archive lacks it"
                + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
      }
      return new ArchiveReadResult(manifest, payloadEntries, payloadBytes);
    }

    private void readManifest(TarEntryReader.Entry e) throws IOException {
      if (!e.name().equals(MANIFEST)) {
        throw refuse(e.name(), "the first entry must be " + MANIFEST);
      }
      if (!e.isRegularFile()) {
        throw refuse(e.name(), "must be a regular file");
      }
      checkSpecialBits(e);
      if (e.size() > limits.maxManifestBytes()) {
        throw refuse(
            e.name(),
            "size "
                + e.size()
                + " exceeds the manifest limit of "
                + limits.maxManifestBytes()
                + " bytes");
      }
      byte[] bytes = new byte[(int) e.size()];
      int off = 0;
      for (int n; off < bytes.length && (n = tar.read(bytes, off, bytes.length - off)) > 0; ) {
        off += n;
      }
      Map<String, ExpectedFile> files = handler.accept(bytes.clone());
      if (files == null) {
        throw new IllegalStateException("manifest handler returned null");
      }
      expected = new HashMap<>(files.size() * 2);
      for (Map.Entry<String, ExpectedFile> f : files.entrySet()) {
        if (!f.getKey().equals(f.getValue().path())) {
          throw new IllegalArgumentException(
              "manifest handler keyed '" + f.getValue().path() + "' as '" + f.getKey() + "'");
        }
        expected.put(f.getKey(), f.getValue());
        String p = f.getKey();
        for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
          allowedDirs.add(p.substring(0, slash));
        }
      }
      manifest = bytes;
    }

    private void readPayloadEntry(TarEntryReader.Entry e) throws IOException {
      String name = e.name();
      if (e.isDirectory() && name.endsWith("/")) {
        name = name.substring(0, name.length() - 1);
      }
      String unsafe = ArchivePaths.unsafeReason(name);
      if (unsafe != null) {
        throw refuse(e.name(), "unsafe path (" + unsafe + ")");
      }
      int pathBytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (pathBytes > limits.maxPathBytes()) {
        throw refuse(
            name,
            "path of " + pathBytes + " bytes is longer than " + limits.maxPathBytes() + " bytes");
      }
      int depth = ArchivePaths.depth(name);
      if (depth > limits.maxDepth()) {
        throw refuse(name, "path of " + depth + " components is deeper than " + limits.maxDepth());
      }
      if (!e.isRegularFile() && !e.isDirectory()) {
        throw refuse(name, typeName(e.type()) + " is not allowed (only regular files)");
      }
      checkSpecialBits(e);
      if (name.equals(MANIFEST)) {
        throw refuse(name, "second " + MANIFEST);
      }
      if (!seen.add(name)) {
        throw refuse(name, "duplicate path");
      }
      if (e.isDirectory()) {
        checkDirectory(e, name);
      } else {
        readFile(e, name);
      }
    }

    private void checkDirectory(TarEntryReader.Entry e, String name) {
      if (expected.containsKey(name)) {
        throw refuse(name, "directory entry where the manifest lists a file");
      }
      if (!allowedDirs.contains(name)) {
        throw refuse(name, "directory is not a parent of any file in the manifest");
      }
      if (e.size() != 0) {
        throw refuse(name, "directory entry with data");
      }
      int perm = (int) (e.mode() & 0777);
      if (perm != 0755) {
        throw refuse(name, "directory mode " + octal(perm) + " (only 0755 is allowed)");
      }
    }

    private void readFile(TarEntryReader.Entry e, String name) throws IOException {
      if (e.size() > limits.maxEntryBytes()) {
        throw refuse(
            name,
            "size "
                + e.size()
                + " exceeds the per-entry limit of "
                + limits.maxEntryBytes()
                + " bytes");
      }
      if (e.size() > limits.maxTotalBytes() - payloadBytes) {
        throw refuse(
            name,
            "archive content exceeds the total limit of " + limits.maxTotalBytes() + " bytes");
      }
      ExpectedFile want = expected.get(name);
      if (want == null) {
        throw refuse(name, "not in the manifest");
      }
      int perm = (int) (e.mode() & 0777);
      if (perm != want.mode()) {
        throw refuse(
            name, "mode " + octal(perm) + " differs from the manifest's " + octal(want.mode()));
      }
      if (e.size() != want.size()) {
        throw refuse(
            name, "size " + e.size() + " differs from the manifest's " + want.size() + " bytes");
      }
      if (writer == null) {
        writer = new PayloadWriter(sink);
      }
      // the writer hashes and stores the bytes; a mismatch surfaces at a later hand-over or at
      // finish(), still naming this entry and still before the read is accepted
      ExpectedFile first = want;
      for (long left = e.size(); ; first = null) {
        byte[] chunk = writer.chunk();
        int n = tar.read(chunk, 0, chunk.length);
        if (n <= 0) {
          writer.unused(chunk);
          writer.part(first, null, 0, true);
          break;
        }
        left -= n;
        writer.part(first, chunk, n, left == 0);
        if (left == 0) {
          break;
        }
      }
      payloadEntries++;
      payloadBytes += e.size();
    }
  }

  private static void checkSpecialBits(TarEntryReader.Entry e) {
    long special = e.mode() & 07000;
    if (special != 0) {
      throw refuse(e.name(), "setuid/setgid/sticky bit set (mode " + octal(e.mode()) + ")");
    }
    long fileType = e.mode() & ~07777L;
    long expectedType = e.isDirectory() ? 0040000 : 0100000;
    if (fileType != 0 && fileType != expectedType) {
      throw refuse(e.name(), "mode " + octal(e.mode()) + " names another file type");
    }
  }

  private static String typeName(byte type) {
    return switch (type) {
      case '1' -> "hardlink";
      case '2' -> "symlink";
      case '3' -> "character device";
      case '4' -> "block device";
      case '6' -> "FIFO";
      case '7' -> "contiguous file";
      case 'S' -> "GNU sparse file";
      case 'D' -> "GNU dumpdir";
      case 'M' -> "GNU multi-volume continuation";
      case 'N' -> "GNU old long name";
      case 'V' -> "volume label";
      default ->
          (type >= 0x21 && type < 0x7f)
              ? "unknown type flag '" + (char) type + "'"
              : "unknown type flag 0x" + Integer.toHexString(type & 0xff);
    };
  }

  private static String octal(long mode) {
    return "0" + Long.toOctalString(mode);
  }

  /** Marks IOExceptions that came from the caller's input, not from corrupt data. */
  private static final class SourceException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceException(IOException cause) {
      super(cause);
    }
  }

  /** The caller's input: its failures are tagged, and closing it is left to the caller. */
  private static final class SourceStream extends FilterInputStream {
    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {}
  }
}
