package dev.agentpkg.runtime.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host/child protocol. A frame is a big-endian {@code int} length followed by that many bytes:
 * a type byte and its fields. Strings are an {@code int} byte count and UTF-8; byte arrays an
 * {@code int} count and the bytes; lists and maps an {@code int} count and their items.
 *
 * <p>Host to child (child's stdin): {@link #START} once, then one reply ({@link #RETURN}, {@link
 * #DENIED} or {@link #ERROR}) per {@link #CALL}. Child to host (child's stdout): {@link #OUT},
 * {@link #ERR}, {@link #CALL} in any order, then one {@link #RESULT}.
 */
final class Wire {
  /** packageId, entrypoint, clock zone id, classpath URIs (list), arguments (list). */
  static final byte START = 1;

  /** Operation byte then its arguments; see the {@code OP_} constants. */
  static final byte CALL = 2;

  /** The operation's value: bytes (read), list (list), boolean (exists), int (exec), or nothing. */
  static final byte RETURN = 3;

  /** operation, path, message of the host's {@code CapabilityDeniedException}. */
  static final byte DENIED = 4;

  /** message of any other host failure. */
  static final byte ERROR = 5;

  /** bytes the module wrote to {@code ctx.out()}. */
  static final byte OUT = 6;

  /** bytes the module wrote to {@code ctx.err()}. */
  static final byte ERR = 7;

  /** status name, exit status (int), message. */
  static final byte RESULT = 8;

  static final byte OP_READ = 1; // path
  static final byte OP_WRITE = 2; // path, bytes
  static final byte OP_LIST = 3; // directory
  static final byte OP_EXISTS = 4; // path
  static final byte OP_DELETE = 5; // path
  static final byte OP_EXEC = 6; // path, args (list)
  static final byte OP_EVIDENCE = 7; // kind, fields (map)

  /** Bounds what a misbehaving child can make the host allocate. */
  static final int MAX_FRAME = 256 * 1024 * 1024;

  /** Output is cut into frames of at most this many bytes. */
  static final int OUTPUT_CHUNK = 64 * 1024;

  private Wire() {}

  /** Writes the body of a frame. */
  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /** A received frame. */
  record Frame(byte type, DataInputStream fields) {}

  /**
   * Writes one whole frame. The body is built in memory first so a failure while encoding (even an
   * {@link OutOfMemoryError}) never leaves half a frame on the stream.
   */
  static void send(OutputStream out, byte type, Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(bytes);
    data.writeInt(0);
    data.writeByte(type);
    body.write(data);
    data.flush();
    byte[] frame = bytes.toByteArray();
    int length = frame.length - Integer.BYTES;
    frame[0] = (byte) (length >>> 24);
    frame[1] = (byte) (length >>> 16);
    frame[2] = (byte) (length >>> 8);
    frame[3] = (byte) length;
    out.write(frame);
    out.flush();
  }

  /** The next frame, or {@code null} at a clean end of stream. */
  static Frame receive(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int first = data.read();
    if (first < 0) {
      return null;
    }
    int length = (first << 24) | (data.readUnsignedByte() << 16) | data.readUnsignedShort();
    if (length < 1 || length > MAX_FRAME) {
      throw new ProtocolException("frame length " + length + " out of range");
    }
    byte[] body = new byte[length];
    data.readFully(body);
    return new Frame(body[0], new DataInputStream(new ByteArrayInputStream(body, 1, length - 1)));
  }

  static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new ProtocolException("field length " + length + " out of range");
    }
    byte[] value = new byte[length];
    in.readFully(value);
    return value;
  }

  static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String value : values) {
      writeString(out, value);
    }
  }

  static List<String> readStrings(DataInputStream in) throws IOException {
    int count = count(in);
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(readString(in));
    }
    return values;
  }

  static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  static Map<String, String> readMap(DataInputStream in) throws IOException {
    int count = count(in);
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.put(readString(in), readString(in));
    }
    return map;
  }

  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    // every item takes at least its own length field
    if (count < 0 || count > in.available() / Integer.BYTES) {
      throw new ProtocolException("item count " + count + " out of range");
    }
    return count;
  }

  /** Refuses trailing bytes, so a confused peer is noticed at once. */
  static void end(DataInputStream in) throws IOException {
    if (in.available() != 0) {
      throw new ProtocolException(in.available() + " unexpected bytes at the end of a frame");
    }
  }
}
