package dev.agentpkg.integrity.archive;

import dev.agentpkg.integrity.digest.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Builds hostile archives byte by byte, so no binary fixture is ever committed. */
final class Archives {
  static final byte[] MANIFEST =
      "{\"schema\":\"agentpkg/manifest/v1\"}".getBytes(StandardCharsets.UTF_8);

  private Archives() {}

  interface TarWriter {
    void write(OutputStream tar) throws IOException;
  }

  /** gzip (one member, fast level) around whatever raw tar bytes {@code writer} produces. */
  static byte[] gz(TarWriter writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new FastGzip(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The same, produced lazily on a daemon thread as the reader pulls, so a test can offer gigabytes
   * the reader must refuse long before they exist. Closing the returned stream stops the producer.
   */
  static InputStream lazyGz(TarWriter writer) throws IOException {
    PipedInputStream in = new PipedInputStream(256 * 1024);
    PipedOutputStream pipe = new PipedOutputStream(in);
    Thread t =
        new Thread(
            () -> {
              try (OutputStream out = new FastGzip(pipe)) {
                writer.write(out);
              } catch (IOException e) {
                // the reader stopped early and closed its end: expected
              }
            },
            "lazy-archive");
    t.setDaemon(true);
    t.start();
    return in;
  }

  static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  /** A ustar header block with a correct checksum. */
  static byte[] header(String name, int type, long size, int mode) {
    return header(name.getBytes(StandardCharsets.UTF_8), type, size, mode);
  }

  static byte[] header(byte[] name, int type, long size, int mode) {
    byte[] h = new byte[512];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size > 077777777777L) {
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      octal(h, 124, 12, size);
    }
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    byte[] magic = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
    System.arraycopy(magic, 0, h, 257, magic.length);
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

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(len - 1 - s.length()) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  static byte[] pad(long size) {
    return new byte[TarEntryReader.padding(size)];
  }

  static void file(OutputStream out, String name, int mode, byte[] content) throws IOException {
    out.write(header(name, '0', content.length, mode));
    out.write(content);
    out.write(pad(content.length));
  }

  static void end(OutputStream out) throws IOException {
    out.write(new byte[1024]);
  }

  /** One PAX record, length prefix included. */
  static String paxRecord(String key, String value) {
    int body =
        key.getBytes(StandardCharsets.UTF_8).length
            + value.getBytes(StandardCharsets.UTF_8).length
            + 3;
    int len = body + 1;
    while (len != body + Integer.toString(len).length()) {
      len = body + Integer.toString(len).length();
    }
    return len + " " + key + "=" + value + "\n";
  }

  static void pax(OutputStream out, String records) throws IOException {
    byte[] data = records.getBytes(StandardCharsets.UTF_8);
    out.write(header("./PaxHeaders/x", 'x', data.length, 0644));
    out.write(data);
    out.write(pad(data.length));
  }

  static ExpectedFile expected(String path, byte[] content, int mode) {
    return new ExpectedFile(path, content.length, Sha256.hex(content), mode);
  }
}
