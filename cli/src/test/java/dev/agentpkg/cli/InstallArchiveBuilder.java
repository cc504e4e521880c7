package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import dev.agentpkg.integrity.manifest.PathRules;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds package archives for the install tests, good and hostile, byte by byte: a hand-written
 * ustar header writer (so any name, type, mode or size can be written, which commons-compress
 * refuses to do), a gzip writer that can splice in gigabytes of zeros at the cost of ~1 KiB per
 * MiB, and a trusted signature over a correct statement, so that only the archive checks stand
 * between the archive and the root. No binary fixture is ever committed.
 */
final class InstallArchiveBuilder {
  static final String EMPTY_SHA256 = Sha256.hex(new byte[0]);

  /** One payload file as the manifest declares it and as the standard body writes it. */
  record Payload(String path, byte[] content, String mode) {
    FileEntry entry() {
      return new FileEntry(path, Sha256.hex(content), content.length, mode);
    }
  }

  /** Writes the raw tar stream of one archive (before gzip). */
  @FunctionalInterface
  interface Body {
    void write(Tar tar) throws IOException;
  }

  final String id;
  final String version;
  final String tier;
  private final List<Payload> files = new ArrayList<>();
  private final List<String[]> dependencies = new ArrayList<>();
  private List<Payload> declaredFiles;
  private UnaryOperator<ObjectNode> manifestEdit = UnaryOperator.identity();
  private UnaryOperator<byte[]> rawManifestEdit = UnaryOperator.identity();
  private UnaryOperator<Statement> statementEdit = UnaryOperator.identity();
  private Body body = Tar::standard;
  private boolean checksumSidecar = true;
  private String checksumSidecarSays;
  private boolean signed = true;
  private Ed25519PrivateKey signer;
  private byte[] manifest;

  private InstallArchiveBuilder(String id, String version) {
    this.id = id;
    this.version = version;
    this.tier = id.substring(4, 6);
  }

  /** A package with no files yet. */
  static InstallArchiveBuilder pkg(String id, String version) {
    return new InstallArchiveBuilder(id, version);
  }

  /** A valid package: {@code modules/<ID>/lib/a.txt} and {@code b.txt}. */
  static InstallArchiveBuilder standard(String id, String version) {
    return pkg(id, version).file(lib(id) + "a.txt", "alpha\n").file(lib(id) + "b.txt", "beta\n");
  }

  static String lib(String id) {
    return "modules/" + id + "/lib/";
  }

  InstallArchiveBuilder file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), "0644");
  }

  InstallArchiveBuilder file(String path, byte[] content, String mode) {
    files.add(new Payload(path, content, mode));
    manifest = null;
    return this;
  }

  InstallArchiveBuilder dependsOn(String depId, String range) {
    dependencies.add(new String[] {depId, range});
    manifest = null;
    return this;
  }

  /**
   * Replaces the manifest's {@code files} array with these entries (sorted bytewise), bypassing the
   * model's validation, for manifests the model itself would refuse; the standard body then writes
   * these payloads.
   */
  InstallArchiveBuilder declareFiles(List<Payload> declared) {
    this.declaredFiles = List.copyOf(declared);
    manifest = null;
    return this;
  }

  /** Hand edits to the manifest JSON; the result is still written as canonical JSON. */
  InstallArchiveBuilder editManifest(UnaryOperator<ObjectNode> edit) {
    this.manifestEdit = edit;
    manifest = null;
    return this;
  }

  /** Edits the manifest's final bytes (e.g. to make them non-canonical); signed as edited. */
  InstallArchiveBuilder rawManifest(UnaryOperator<byte[]> edit) {
    this.rawManifestEdit = edit;
    manifest = null;
    return this;
  }

  /** Changes the statement before it is signed (the correct one is passed in). */
  InstallArchiveBuilder statement(UnaryOperator<Statement> edit) {
    this.statementEdit = edit;
    return this;
  }

  InstallArchiveBuilder body(Body b) {
    this.body = b;
    return this;
  }

  InstallArchiveBuilder noChecksumSidecar() {
    this.checksumSidecar = false;
    return this;
  }

  /** Writes this digest into the .sha256 sidecar instead of the archive's real one. */
  InstallArchiveBuilder checksumSidecarSays(String hex) {
    this.checksumSidecarSays = hex;
    return this;
  }

  InstallArchiveBuilder unsigned() {
    this.signed = false;
    return this;
  }

  /** Signs with this key instead of the one given to {@link #writeTo}. */
  InstallArchiveBuilder signedBy(Ed25519PrivateKey key) {
    this.signer = key;
    return this;
  }

  /** The payloads in archive order (bytewise UTF-8 by path). */
  List<Payload> payloads() {
    List<Payload> list = new ArrayList<>(declaredFiles != null ? declaredFiles : files);
    list.sort(Comparator.comparing(Payload::path, PathRules.UTF8_ORDER));
    return list;
  }

  Payload payload(String suffix) {
    return payloads().stream().filter(p -> p.path().endsWith(suffix)).findFirst().orElseThrow();
  }

  String archiveName() {
    return id + "-" + version + ".tar.gz";
  }

  /** The exact bytes of manifest.json: canonical, built through the model where it allows. */
  byte[] manifestBytes() {
    if (manifest == null) {
      ObjectNode d = Json.object();
      d.put("id", id);
      d.put("name", "Install test package");
      d.put("version", version);
      d.put("tier", tier);
      d.put("spec_id", "SPEC-INSTALL-TEST");
      d.put("description", "generated by the install tests");
      ArrayNode deps = d.putArray("dependencies");
      for (String[] dep : dependencies) {
        deps.addObject().put("id", dep[0]).put("version", dep[1]);
      }
      PackageDescriptor descriptor =
          PackageDescriptor.parse(CanonicalJson.bytes(d), "package.json of " + id);
      Manifest m = descriptor.toManifest(files.stream().map(Payload::entry).toList());
      ObjectNode json = m.toJson();
      if (declaredFiles != null) {
        ArrayNode array = json.putArray("files");
        for (Payload p : payloads()) {
          array
              .addObject()
              .put("mode", p.mode())
              .put("path", p.path())
              .put("sha256", Sha256.hex(p.content()))
              .put("size", p.content().length);
        }
      }
      manifest = rawManifestEdit.apply(CanonicalJson.bytes(manifestEdit.apply(json)));
    }
    return manifest.clone();
  }

  /**
   * Writes {@code dir/<ID>-<VERSION>.tar.gz} with its {@code .sig} (signed by {@code key} unless
   * {@link #signedBy} chose another) and {@code .sha256} sidecars; returns the archive's path.
   */
  Path writeTo(Path dir, Ed25519PrivateKey key) throws IOException {
    Files.createDirectories(dir);
    Path archive = dir.resolve(archiveName());
    String archiveSha256;
    try (Gz gz = new Gz(archive)) {
      body.write(new Tar(gz, this));
      gz.close();
      archiveSha256 = gz.sha256();
    }
    Path sig = archive.resolveSibling(archive.getFileName() + ".sig");
    Path sha = archive.resolveSibling(archive.getFileName() + ".sha256");
    Files.deleteIfExists(sig);
    Files.deleteIfExists(sha);
    if (signed) {
      Statement s =
          statementEdit.apply(
              new Statement(archiveSha256, id, Sha256.hex(manifestBytes()), tier, version));
      Files.write(
          sig, DsseEnvelope.sign(s.canonicalBytes(), signer != null ? signer : key).toJsonBytes());
    }
    if (checksumSidecar) {
      String says = checksumSidecarSays != null ? checksumSidecarSays : archiveSha256;
      Files.writeString(sha, says + "  " + archive.getFileName() + "\n");
    }
    return archive;
  }

  /** Raw tar blocks, written into the gzip stream. */
  static final class Tar {
    static final int BLOCK = 512;
    static final int REG = '0';
    static final int HARDLINK = '1';
    static final int SYMLINK = '2';
    static final int CHAR_DEVICE = '3';
    static final int BLOCK_DEVICE = '4';
    static final int DIRECTORY = '5';
    static final int FIFO = '6';
    static final int CONTIGUOUS = '7';
    static final int PAX = 'x';
    static final int PAX_GLOBAL = 'g';
    static final int GNU_LONG_NAME = 'L';
    static final int GNU_SPARSE = 'S';

    final Gz gz;
    final InstallArchiveBuilder pkg;

    Tar(Gz gz, InstallArchiveBuilder pkg) {
      this.gz = gz;
      this.pkg = pkg;
    }

    /** What {@code pack} writes: manifest.json, every payload file, the end marker. */
    void standard() throws IOException {
      manifest();
      payload();
      end();
    }

    void manifest() throws IOException {
      file("manifest.json", pkg.manifestBytes(), 0644);
    }

    /** Every payload file, in order. */
    void payload() throws IOException {
      for (Payload p : pkg.payloads()) {
        file(p.path(), p.content(), Integer.parseInt(p.mode(), 8));
      }
    }

    void payloadExcept(String suffix) throws IOException {
      for (Payload p : pkg.payloads()) {
        if (!p.path().endsWith(suffix)) {
          file(p.path(), p.content(), Integer.parseInt(p.mode(), 8));
        }
      }
    }

    void file(String name, String content) throws IOException {
      file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    void file(String name, byte[] content, long mode) throws IOException {
      entry(header(name, REG, content.length, mode, ""), content);
    }

    void dir(String name) throws IOException {
      dir(name, 0755);
    }

    void dir(String name, long mode) throws IOException {
      raw(header(name.endsWith("/") ? name : name + "/", DIRECTORY, 0, mode, ""));
    }

    /** A link or special entry without data. */
    void special(String name, int type, String linkName) throws IOException {
      raw(header(name, type, 0, 0644, linkName));
    }

    /** A header with any type flag and size, followed by that many bytes of data and padding. */
    void entry(byte[] header, byte[] content) throws IOException {
      raw(header);
      raw(content);
      raw(new byte[padding(content.length)]);
    }

    /** PAX extended header ({@code x}) carrying the given key/value records. */
    void pax(String... keyValues) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < keyValues.length; i += 2) {
        sb.append(paxRecord(keyValues[i], keyValues[i + 1]));
      }
      byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
      entry(header("PaxHeaders.0/x", PAX, data.length, 0644, ""), data);
    }

    /** GNU long-name header ({@code L}) naming the next entry. */
    void gnuLongName(String name) throws IOException {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      byte[] data = Arrays.copyOf(n, n.length + 1);
      entry(header("././@LongLink", GNU_LONG_NAME, data.length, 0644, ""), data);
    }

    /** The two zero blocks that end a tar. */
    void end() throws IOException {
      raw(new byte[2 * BLOCK]);
    }

    void raw(byte[] bytes) throws IOException {
      gz.write(bytes, 0, bytes.length);
    }

    /** {@code n} zero bytes, cheaply (see {@link Gz#zeros}). */
    void zeros(long n) throws IOException {
      gz.zeros(n);
    }

    static int padding(long size) {
      return (int) ((BLOCK - (size % BLOCK)) % BLOCK);
    }

    /** A ustar header; a name longer than 100 bytes is split into prefix and name at a slash. */
    static byte[] header(String name, int type, long size, long mode, String linkName) {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      byte[] prefix = new byte[0];
      if (n.length > 100) {
        int split = -1;
        for (int i = 0; i < n.length - 1; i++) {
          if (n[i] == '/' && i <= 155 && n.length - i - 1 <= 100) {
            split = i;
            break;
          }
        }
        if (split < 0) {
          throw new IllegalArgumentException("name does not fit a ustar header: " + name);
        }
        prefix = Arrays.copyOfRange(n, 0, split);
        n = Arrays.copyOfRange(n, split + 1, n.length);
      }
      return header(n, prefix, type, size, mode, linkName.getBytes(StandardCharsets.UTF_8));
    }

    /** A ustar header from raw name bytes (which may hold anything, NUL included). */
    static byte[] header(byte[] name, byte[] prefix, int type, long size, long mode, byte[] link) {
      byte[] h = new byte[BLOCK];
      System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
      octal(h, 100, 8, mode);
      octal(h, 108, 8, 0);
      octal(h, 116, 8, 0);
      if (size > 077777777777L) {
        // GNU/star base-256 for sizes past the 8 GiB of 11 octal digits
        h[124] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
          h[135 - i] = (byte) (size >>> (8 * i));
        }
      } else {
        octal(h, 124, 12, size);
      }
      octal(h, 136, 12, 0);
      h[156] = (byte) type;
      System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
      byte[] magic = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
      System.arraycopy(magic, 0, h, 257, magic.length);
      System.arraycopy(prefix, 0, h, 345, Math.min(155, prefix.length));
      return withChecksum(h);
    }

    static byte[] withChecksum(byte[] h) {
      Arrays.fill(h, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      octal(h, 148, 7, sum);
      h[155] = ' ';
      return h;
    }

    /** Zero-padded octal digits then a NUL; no strings, as a million headers go through here. */
    private static void octal(byte[] h, int off, int len, long v) {
      for (int i = off + len - 2; i >= off; i--, v >>>= 3) {
        h[i] = (byte) ('0' + (v & 7));
      }
      h[off + len - 1] = 0;
    }

    /** One PAX record, its own length prefix included. */
    static String paxRecord(String key, String value) {
      int body =
          key.getBytes(StandardCharsets.UTF_8).length
              + value.getBytes(StandardCharsets.UTF_8).length
              + 3;
      int len = body + 1;
      while (len != body + Integer.toString(len).length()) {
        len = body + Integer.toString(len).length();
      }
      return String.format(Locale.ROOT, "%d %s=%s\n", len, key, value);
    }
  }

  /**
   * A gzip writer over a file that also hashes what it writes. Besides ordinary data it can emit
   * runs of zeros by splicing a precomputed, byte-aligned deflate chunk of 1 MiB of zeros (a full
   * flush ends every chunk, so no chunk refers to anything before it): 10 GiB of zeros cost ~10 MB
   * on disk and milliseconds to write, and the stream is still a valid gzip member with the right
   * CRC and length.
   */
  static final class Gz extends OutputStream {
    static final int MIB = 1 << 20;
    private static final byte[] ZERO_MIB = new byte[MIB];
    private static final byte[] ZERO_CHUNK = chunk(ZERO_MIB);

    private final MessageDigest md = Sha256.newDigest();
    private final OutputStream file;
    private final byte[] buf = new byte[64 * 1024];
    private final byte[] pending = new byte[256 * 1024];
    private int pendingLen;
    private Deflater deflater;
    private CRC32 crc;
    private long size;
    private boolean closed;

    Gz(Path target) throws IOException {
      this.file =
          new DigestOutputStream(
              new BufferedOutputStream(Files.newOutputStream(target), 1 << 16), md);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    /**
     * Small writes (a million 512-byte headers) are gathered first: a deflate call per header costs
     * more in JNI overhead than the compression itself.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      startMember();
      crc.update(b, off, len);
      size += len;
      if (pendingLen + len > pending.length) {
        deflatePending();
      }
      if (len >= pending.length) {
        deflate(b, off, len);
      } else {
        System.arraycopy(b, off, pending, pendingLen, len);
        pendingLen += len;
      }
    }

    private void deflatePending() throws IOException {
      if (pendingLen > 0) {
        deflate(pending, 0, pendingLen);
        pendingLen = 0;
      }
    }

    private void deflate(byte[] b, int off, int len) throws IOException {
      deflater.setInput(b, off, len);
      while (!deflater.needsInput()) {
        int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
        file.write(buf, 0, n);
      }
    }

    /** Appends {@code n} zero bytes of uncompressed data to the current member. */
    void zeros(long n) throws IOException {
      repeat(ZERO_MIB, n / MIB);
      if (n % MIB > 0) {
        write(ZERO_MIB, 0, (int) (n % MIB));
      }
    }

    /**
     * Appends {@code unit} {@code times} times to the current member's data by splicing one deflate
     * chunk of it, made once and ended by a full flush, so the chunk refers to nothing before it
     * and the stream stays valid.
     */
    void repeat(byte[] unit, long times) throws IOException {
      startMember();
      deflatePending();
      int got;
      while ((got = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH)) > 0) {
        file.write(buf, 0, got);
        if (got < buf.length) {
          break;
        }
      }
      byte[] chunk = unit == ZERO_MIB ? ZERO_CHUNK : chunk(unit);
      for (long i = 0; i < times; i++) {
        file.write(chunk);
        crc.update(unit, 0, unit.length);
        size += unit.length;
      }
    }

    /** Ends the current gzip member (header written lazily, so an empty member needs a write). */
    void finishMember() throws IOException {
      if (deflater == null) {
        return;
      }
      deflatePending();
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buf, 0, buf.length);
        file.write(buf, 0, n);
      }
      deflater.end();
      deflater = null;
      writeLe((int) crc.getValue());
      writeLe((int) size);
    }

    /**
     * Ends the file here, mid-member: what was written so far is flushed to a byte boundary (so it
     * inflates), but the member has no final block and no trailer.
     */
    void truncateHere() throws IOException {
      if (deflater != null) {
        deflatePending();
        int got;
        while ((got = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
          file.write(buf, 0, got);
          if (got < buf.length) {
            break;
          }
        }
        deflater.end();
        deflater = null;
      }
      closed = true;
      file.close();
    }

    /** Bytes after the gzip member, outside any compression. */
    void rawAfterMember(byte[] bytes) throws IOException {
      finishMember();
      file.write(bytes);
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        finishMember();
        file.close();
      }
    }

    String sha256() {
      if (!closed) {
        throw new IllegalStateException("close first");
      }
      return Sha256.hex(md);
    }

    private void startMember() throws IOException {
      if (deflater == null) {
        // mtime 0, no flags (no name, comment or extra), XFL 0, OS 255: what pack writes
        file.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        deflater = new Deflater(Deflater.BEST_SPEED, true);
        crc = new CRC32();
        size = 0;
      }
    }

    private void writeLe(int v) throws IOException {
      file.write(v & 0xff);
      file.write((v >>> 8) & 0xff);
      file.write((v >>> 16) & 0xff);
      file.write((v >>> 24) & 0xff);
    }

    private static byte[] chunk(byte[] unit) {
      Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
      try {
        d.setInput(unit);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[64 * 1024];
        while (true) {
          int n = d.deflate(b, 0, b.length, Deflater.FULL_FLUSH);
          out.write(b, 0, n);
          if (n < b.length && d.needsInput()) {
            return out.toByteArray();
          }
        }
      } finally {
        d.end();
      }
    }
  }
}
