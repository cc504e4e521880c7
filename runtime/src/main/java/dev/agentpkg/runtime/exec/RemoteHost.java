package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.CapabilityDeniedException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The child's {@link HostServices}: each call is a {@link Wire#CALL} answered by the host. */
final class RemoteHost implements HostServices {
  private final InputStream fromHost;
  private final OutputStream toHost;
  private final Object callLock = new Object();

  /**
   * @param toHost shared with the output streams; every write of a whole frame synchronizes on it
   */
  RemoteHost(InputStream fromHost, OutputStream toHost) {
    this.fromHost = fromHost;
    this.toHost = toHost;
  }

  /** A stream whose writes become {@link Wire#OUT} or {@link Wire#ERR} frames. */
  OutputStream output(byte type) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int start = off; start < off + len; start += Wire.OUTPUT_CHUNK) {
          int from = start;
          int count = Math.min(Wire.OUTPUT_CHUNK, off + len - start);
          send(type, out -> out.write(b, from, count));
        }
      }
    };
  }

  void result(Verdict verdict) throws IOException {
    send(
        Wire.RESULT,
        out -> {
          Wire.writeString(out, verdict.status().name());
          out.writeInt(verdict.exitStatus());
          Wire.writeString(out, verdict.message());
        });
  }

  private void send(byte type, Wire.Body body) throws IOException {
    synchronized (toHost) {
      Wire.send(toHost, type, body);
    }
  }

  @Override
  public byte[] read(String path) {
    return call(Wire.OP_READ, out -> Wire.writeString(out, path), Wire::readBytes);
  }

  @Override
  public void write(String path, byte[] data) {
    call(
        Wire.OP_WRITE,
        out -> {
          Wire.writeString(out, path);
          Wire.writeBytes(out, data);
        },
        in -> null);
  }

  @Override
  public List<String> list(String directory) {
    return call(Wire.OP_LIST, out -> Wire.writeString(out, directory), Wire::readStrings);
  }

  @Override
  public boolean exists(String path) {
    return call(Wire.OP_EXISTS, out -> Wire.writeString(out, path), DataInputStream::readBoolean);
  }

  @Override
  public void delete(String path) {
    call(Wire.OP_DELETE, out -> Wire.writeString(out, path), in -> null);
  }

  @Override
  public int exec(String path, List<String> args) {
    return call(
        Wire.OP_EXEC,
        out -> {
          Wire.writeString(out, path);
          Wire.writeStrings(out, args);
        },
        DataInputStream::readInt);
  }

  @Override
  public void emitEvidence(String kind, Map<String, String> fields) {
    call(
        Wire.OP_EVIDENCE,
        out -> {
          Wire.writeString(out, kind);
          Wire.writeMap(out, fields);
        },
        in -> null);
  }

  private interface Decoder<T> {
    T decode(DataInputStream in) throws IOException;
  }

  private <T> T call(byte operation, Wire.Body arguments, Decoder<T> decoder) {
    // one call at a time, so each reply answers the call that is waiting for it
    synchronized (callLock) {
      try {
        send(
            Wire.CALL,
            out -> {
              out.writeByte(operation);
              arguments.write(out);
            });
        Wire.Frame reply = Wire.receive(fromHost);
        if (reply == null) {
          throw new IOException("the host closed the connection");
        }
        DataInputStream in = reply.fields();
        switch (reply.type()) {
          case Wire.RETURN:
            T value = decoder.decode(in);
            Wire.end(in);
            return value;
          case Wire.DENIED:
            throw denial(Wire.readString(in), Wire.readString(in), Wire.readString(in));
          case Wire.ERROR:
            throw new RuntimeException(Wire.readString(in));
          default:
            throw new IOException("unexpected frame type " + reply.type() + " from the host");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("lost the connection to the host: " + e.getMessage(), e);
      }
    }
  }

  /** Rebuilds the host's denial with the same operation, path and message. */
  static CapabilityDeniedException denial(String operation, String path, String message) {
    String prefix = operation + " " + path + " denied: ";
    if (message.startsWith(prefix)) {
      return new CapabilityDeniedException(operation, path, message.substring(prefix.length()));
    }
    return new RelayedDenial(operation, path, message);
  }

  /** A denial whose message does not follow the API's own pattern, kept word for word. */
  private static final class RelayedDenial extends CapabilityDeniedException {
    private static final long serialVersionUID = 1L;
    private final String message;

    RelayedDenial(String operation, String path, String message) {
      super(operation, path, message);
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }
}
