package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.CapabilityDeniedException;
import dev.agentpkg.api.EvidenceEmitter;
import dev.agentpkg.api.GovernedFiles;
import dev.agentpkg.api.ModuleContext;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The module's view of the host, over {@link HostServices}: the real one in-process, a proxy over
 * the frame protocol in a child JVM.
 */
final class ServicesContext implements ModuleContext {
  private final String packageId;
  private final List<String> arguments;
  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;
  private final GovernedFiles files;
  private final EvidenceEmitter evidence;

  ServicesContext(
      String packageId,
      List<String> arguments,
      HostServices host,
      Clock clock,
      OutputStream out,
      OutputStream err) {
    this.packageId = Objects.requireNonNull(packageId);
    this.arguments = List.copyOf(arguments);
    this.clock = Objects.requireNonNull(clock);
    this.out = unclosable(out);
    this.err = unclosable(err);
    this.files = new Files(host);
    this.evidence =
        (kind, fields) -> {
          Objects.requireNonNull(kind, "kind");
          Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
          copy.forEach(
              (k, v) -> {
                Objects.requireNonNull(k, "evidence field name");
                Objects.requireNonNull(v, "evidence field " + k);
              });
          relay(
              () -> {
                host.emitEvidence(kind, copy);
                return null;
              });
        };
  }

  /** Closing only flushes: the module's streams are views of the host's and stay usable. */
  private static PrintStream unclosable(OutputStream target) {
    return new PrintStream(
        new FilterOutputStream(target) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }
        },
        true,
        StandardCharsets.UTF_8) {
      @Override
      public void close() {
        flush();
      }
    };
  }

  /**
   * Denials reach the module as they are; any other host failure only as a message, so host classes
   * never leak into the module and both isolation modes behave alike.
   */
  static <T> T relay(Supplier<T> call) {
    try {
      return call.get();
    } catch (CapabilityDeniedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RuntimeException(message(e));
    }
  }

  static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public List<String> arguments() {
    return arguments;
  }

  @Override
  public GovernedFiles files() {
    return files;
  }

  @Override
  public EvidenceEmitter evidence() {
    return evidence;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public PrintStream out() {
    return out;
  }

  @Override
  public PrintStream err() {
    return err;
  }

  @Override
  public String packageId() {
    return packageId;
  }

  private static final class Files implements GovernedFiles {
    private final HostServices host;

    Files(HostServices host) {
      this.host = host;
    }

    @Override
    public byte[] read(String path) {
      return relay(() -> host.read(path)).clone();
    }

    @Override
    public List<String> readLines(String path) {
      return new String(read(path), StandardCharsets.UTF_8).lines().toList();
    }

    @Override
    public void write(String path, byte[] data) {
      byte[] copy = data.clone();
      relay(
          () -> {
            host.write(path, copy);
            return null;
          });
    }

    @Override
    public List<String> list(String directory) {
      return List.copyOf(relay(() -> host.list(directory)));
    }

    @Override
    public boolean exists(String path) {
      return relay(() -> host.exists(path));
    }

    @Override
    public void delete(String path) {
      relay(
          () -> {
            host.delete(path);
            return null;
          });
    }

    @Override
    public int exec(String path, List<String> args) {
      List<String> copy = List.copyOf(args);
      return relay(() -> host.exec(path, copy));
    }
  }
}
