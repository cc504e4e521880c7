package dev.agentpkg.integrity.archive;

import dev.agentpkg.core.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal tar reader for the subset agentpkg writes (ustar/POSIX with PAX records, GNU long names
 * tolerated). It is hand-written rather than {@code TarArchiveInputStream} because that class
 * buffers PAX headers and long names whole before anyone can check their size, silently skips what
 * follows the end-of-archive marker, and tolerates several malformed headers; every one of those
 * decisions is made here, from the raw 512-byte blocks.
 */
final class TarEntryReader {
  static final int BLOCK = 512;

  /**
   * How many bytes after the end-of-archive marker may be zero padding. Writers pad to their record
   * size (10 KiB by default, larger blocking factors exist); anything beyond this is refused.
   */
  static final long MAX_TRAILING_ZEROS = 1024 * 1024;

  /** A header after PAX/long-name records are applied. {@code name} is the final, resolved name. */
  record Entry(String name, byte type, long mode, long size) {
    boolean isRegularFile() {
      return type == '0' || type == 0;
    }

    boolean isDirectory() {
      return type == '5';
    }
  }

  private final InputStream in;
  private final int maxHeaderBytes;
  private final byte[] header = new byte[BLOCK];
  private long remainingData;
  private int remainingPadding;
  private String currentName = "";

  TarEntryReader(InputStream in, int maxHeaderBytes) {
    this.in = in;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  /** Name of the entry being read, for error messages. */
  String currentName() {
    return currentName;
  }

  /**
   * Advances to the next real entry, skipping what is left of the current one. Returns null at the
   * end-of-archive marker, after checking that only zero padding and then the end of the stream
   * follow it.
   */
  Entry next() throws IOException {
    skipRest();
    String paxPath = null;
    long paxSize = -1;
    String longName = null;
    boolean sawPax = false;
    boolean sawLongName = false;
    while (true) {
      if (!readBlock(header)) {
        throw refuse(currentName, "truncated archive (no end-of-archive marker)");
      }
      if (isZero(header)) {
        if (sawPax || sawLongName) {
          throw refuse(currentName, "extended header without an entry after it");
        }
        checkEnd();
        return null;
      }
      String rawName = shownRawName();
      currentName = rawName;
      verifyChecksum(rawName);
      byte type = header[156];
      long size = parseSize(rawName);
      switch (type) {
        case 'x' -> {
          if (sawPax) {
            throw refuse(rawName, "two PAX headers for one entry");
          }
          sawPax = true;
          byte[] data = readExtended(rawName, "PAX header", size);
          PaxRecords pax = PaxRecords.parse(data, rawName);
          paxPath = pax.path;
          paxSize = pax.size;
        }
        case 'L' -> {
          if (sawLongName) {
            throw refuse(rawName, "two GNU long-name headers for one entry");
          }
          sawLongName = true;
          byte[] data = readExtended(rawName, "GNU long-name header", size);
          int end = data.length;
          while (end > 0 && data[end - 1] == 0) {
            end--;
          }
          longName = decodeName(data, 0, end, rawName);
        }
        case 'K' -> throw refuse(rawName, "GNU long link target is not allowed");
        case 'g' -> throw refuse(rawName, "global PAX header is not allowed");
        default -> {
          if (paxPath != null && longName != null) {
            throw refuse(rawName, "both a PAX path and a GNU long name");
          }
          String name = paxPath != null ? paxPath : longName != null ? longName : strictRawName();
          long entrySize = paxSize >= 0 ? paxSize : size;
          currentName = name;
          long mode = parseOctal(100, 8, name, "mode");
          remainingData = entrySize;
          remainingPadding = padding(entrySize);
          return new Entry(name, type, mode, entrySize);
        }
      }
    }
  }

  /** Reads the current entry's data; -1 once it has all been read. */
  int read(byte[] buf, int off, int len) throws IOException {
    if (remainingData == 0) {
      return -1;
    }
    int n = in.read(buf, off, (int) Math.min(len, remainingData));
    if (n < 0) {
      throw refuse(currentName, "truncated archive (entry data ends early)");
    }
    remainingData -= n;
    return n;
  }

  private void skipRest() throws IOException {
    byte[] scratch = header;
    while (remainingData > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, remainingData));
      if (n < 0) {
        throw refuse(currentName, "truncated archive (entry data ends early)");
      }
      remainingData -= n;
    }
    if (remainingPadding > 0) {
      if (!readFully(scratch, remainingPadding)) {
        throw refuse(currentName, "truncated archive (entry padding ends early)");
      }
      remainingPadding = 0;
    }
  }

  /** Reads an extended header's data, refusing it by its declared size before buffering it. */
  private byte[] readExtended(String rawName, String what, long size) throws IOException {
    if (size > maxHeaderBytes) {
      throw refuse(
          rawName,
          what + " of " + size + " bytes exceeds the limit of " + maxHeaderBytes + " bytes");
    }
    byte[] data = new byte[(int) size];
    if (!readFully(data, data.length) || !readFully(new byte[BLOCK], padding(size))) {
      throw refuse(rawName, "truncated archive (" + what + " ends early)");
    }
    return data;
  }

  private void checkEnd() throws IOException {
    if (!readBlock(header) || !isZero(header)) {
      throw refuse(currentName, "truncated archive (end-of-archive marker is a single block)");
    }
    long extra = 0;
    byte[] buf = header;
    for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != 0) {
          throw refuse(currentName, "trailing data after the tar end");
        }
      }
      extra += n;
      if (extra > MAX_TRAILING_ZEROS) {
        throw refuse(
            currentName,
            "trailing data after the tar end (more than "
                + MAX_TRAILING_ZEROS
                + " bytes of padding)");
      }
    }
  }

  /** Reads one block; false at a clean end of stream, refuses a partial block. */
  private boolean readBlock(byte[] block) throws IOException {
    int got = in.readNBytes(block, 0, BLOCK);
    if (got == BLOCK) {
      return true;
    }
    if (got == 0) {
      return false;
    }
    throw refuse(currentName, "truncated archive (partial header block)");
  }

  private boolean readFully(byte[] buf, int len) throws IOException {
    return in.readNBytes(buf, 0, len) == len;
  }

  /**
   * The header's own name, lenient, for messages. It is not the entry's name when a PAX path or
   * long name overrides it, and then it may legitimately be a truncated, invalid UTF-8 prefix.
   */
  private String shownRawName() {
    String name = lenient(0, 100);
    if (isUstar()) {
      String prefix = lenient(345, 500);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private String strictRawName() {
    String name = fieldString(0, 100);
    if (isUstar()) {
      String prefix = fieldString(345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  /**
   * A NUL-terminated header string. Bytes after the terminator must be NUL too: tar readers differ
   * on whether they stop at the first NUL, so "a\0b" is refused rather than guessed at.
   */
  private String fieldString(int off, int len) {
    int end = off;
    while (end < off + len && header[end] != 0) {
      end++;
    }
    for (int i = end; i < off + len; i++) {
      if (header[i] != 0) {
        String shown = lenient(off, end) + "\\0" + lenient(i, off + len);
        throw refuse(shown, "unsafe path (NUL in name)");
      }
    }
    return decodeName(header, off, end, lenient(off, end));
  }

  private String lenient(int from, int to) {
    int end = from;
    while (end < to && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.UTF_8);
  }

  private boolean isUstar() {
    // POSIX "ustar\0" + "00". GNU's "ustar  \0" uses the prefix area for other things.
    return header[257] == 'u'
        && header[258] == 's'
        && header[259] == 't'
        && header[260] == 'a'
        && header[261] == 'r'
        && header[262] == 0;
  }

  private boolean isGnu() {
    return header[257] == 'u'
        && header[258] == 's'
        && header[259] == 't'
        && header[260] == 'a'
        && header[261] == 'r'
        && header[262] == ' '
        && header[263] == ' '
        && header[264] == 0;
  }

  private void verifyChecksum(String rawName) {
    if (!isUstar() && !isGnu()) {
      throw refuse(rawName, "not a POSIX tar header");
    }
    long stored = parseOctal(148, 8, rawName, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw refuse(rawName, "bad tar header checksum");
    }
  }

  private long parseSize(String rawName) {
    // Base-256 (GNU/star) when the top bit is set; commons-compress writes PAX instead, but both
    // are unambiguous so both are read.
    if ((header[124] & 0x80) != 0) {
      if (header[124] != (byte) 0x80) {
        throw refuse(rawName, "negative or oversized entry size");
      }
      long v = 0;
      for (int i = 125; i < 136; i++) {
        if ((v >>> 55) != 0) {
          throw refuse(rawName, "entry size too large");
        }
        v = (v << 8) | (header[i] & 0xff);
      }
      if (v < 0) {
        throw refuse(rawName, "entry size too large");
      }
      return v;
    }
    return parseOctal(124, 12, rawName, "size");
  }

  /** Octal with optional leading spaces, ended by NUL or space; an all-NUL field is 0. */
  private long parseOctal(int off, int len, String name, String field) {
    int i = off;
    int end = off + len;
    while (i < end && header[i] == ' ') {
      i++;
    }
    long v = 0;
    for (; i < end; i++) {
      byte b = header[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7' || (v >>> 60) != 0) {
        throw refuse(name, "malformed tar header field '" + field + "'");
      }
      v = (v << 3) | (b - '0');
    }
    for (; i < end; i++) {
      if (header[i] != 0 && header[i] != ' ') {
        throw refuse(name, "malformed tar header field '" + field + "'");
      }
    }
    return v;
  }

  static String decodeName(byte[] b, int from, int to, String shown) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw refuse(shown, "unsafe path (name is not valid UTF-8)");
    }
  }

  static int padding(long size) {
    return (int) ((BLOCK - (size % BLOCK)) % BLOCK);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static VerificationException refuse(String name, String rule) {
    return new VerificationException("archive entry '" + display(name) + "': " + rule);
  }

  /** Keeps messages on one line and readable whatever bytes a hostile name holds. */
  static String display(String name) {
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(name.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(c == 0 ? "\\0" : String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (name.length() > limit) {
      sb.append("...(").append(name.length()).append(" chars)");
    }
    return sb.toString();
  }

  /** The PAX records agentpkg gives meaning to; others (mtime, uid, comment...) are ignored. */
  private static final class PaxRecords {
    String path;
    long size = -1;

    static PaxRecords parse(byte[] data, String rawName) {
      PaxRecords r = new PaxRecords();
      int pos = 0;
      while (pos < data.length) {
        int start = pos;
        long len = 0;
        while (pos < data.length && data[pos] >= '0' && data[pos] <= '9' && pos - start < 10) {
          len = len * 10 + (data[pos] - '0');
          pos++;
        }
        if (pos == start || pos >= data.length || data[pos] != ' ') {
          throw refuse(rawName, "malformed PAX record");
        }
        long recordEnd = start + len;
        if (recordEnd > data.length || recordEnd <= pos + 1 || data[(int) recordEnd - 1] != '\n') {
          throw refuse(rawName, "malformed PAX record");
        }
        int keyStart = pos + 1;
        int eq = keyStart;
        while (eq < recordEnd - 1 && data[eq] != '=') {
          eq++;
        }
        if (eq >= recordEnd - 1 || eq == keyStart) {
          throw refuse(rawName, "malformed PAX record");
        }
        String key = new String(data, keyStart, eq - keyStart, StandardCharsets.UTF_8);
        int valueStart = eq + 1;
        int valueEnd = (int) recordEnd - 1;
        r.apply(key, data, valueStart, valueEnd, rawName);
        pos = (int) recordEnd;
      }
      return r;
    }

    private void apply(String key, byte[] data, int from, int to, String rawName) {
      if (key.equals("path")) {
        // Decoded whole: a NUL inside is kept so the path rules can refuse it.
        path = decodeName(data, from, to, rawName);
      } else if (key.equals("size")) {
        String v = new String(data, from, to - from, StandardCharsets.US_ASCII);
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw refuse(rawName, "malformed PAX size '" + v + "'");
        }
        size = Long.parseLong(v);
      } else if (key.equals("linkpath")) {
        throw refuse(rawName, "link target (PAX linkpath) is not allowed");
      } else if (key.startsWith("GNU.sparse.")) {
        throw refuse(rawName, "GNU sparse file is not allowed");
      }
    }
  }
}
