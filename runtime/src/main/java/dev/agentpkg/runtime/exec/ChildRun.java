package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.CapabilityDeniedException;
import dev.agentpkg.core.SuppressForbidden;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The host side of one {@link Isolation#PROCESS} run: starts the child and serves its calls. */
final class ChildRun {
  /** How long a child that has reported (or closed its stdout) gets to exit on its own. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  /**
   * The child's environment: empty but for a UTF-8 locale, without which the JVM would encode
   * non-ASCII file names (of the root, of the jars) as '?'.
   */
  static final String LOCALE_VARIABLE = "LC_ALL";

  static final String LOCALE = "C.UTF-8";

  private final ChildJvm jvm;
  private final List<String> prefix;
  private final RunRequest request;
  private final HostServices host;
  private final ZoneId zone;
  private final PrintStream out;
  private final PrintStream err;
  private final Consumer<ProcessHandle> onStart;
  private final AtomicBoolean timedOut = new AtomicBoolean();

  ChildRun(
      ChildJvm jvm,
      List<String> prefix,
      RunRequest request,
      HostServices host,
      ZoneId zone,
      PrintStream out,
      PrintStream err,
      Consumer<ProcessHandle> onStart) {
    this.jvm = jvm;
    this.prefix = List.copyOf(prefix);
    this.request = request;
    this.host = host;
    this.zone = zone;
    this.out = out;
    this.err = err;
    this.onStart = onStart;
  }

  List<String> command() {
    List<String> command = new ArrayList<>(prefix);
    command.add(jvm.javaExecutable().toString());
    command.addAll(jvm.jvmOptions());
    command.add("-Xmx" + request.effectiveMemoryBytes());
    command.add("-cp");
    List<String> classpath = new ArrayList<>();
    jvm.hostClasspath().forEach(p -> classpath.add(p.toString()));
    command.add(String.join(System.getProperty("path.separator"), classpath));
    command.add(ModuleChild.class.getName());
    return command;
  }

  Verdict run() {
    ProcessBuilder builder = new ProcessBuilder(command());
    builder.environment().clear();
    builder.environment().put(LOCALE_VARIABLE, LOCALE);
    workDirectory(builder);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return Verdict.failed(RunStatus.CRASHED, "cannot start the child JVM: " + e.getMessage());
    }
    boolean ended = false;
    try {
      onStart.accept(process.toHandle());
      Thread drainer = drainStderr(process.getErrorStream());
      Thread watchdog = request.timeout().map(t -> watch(process, t)).orElse(null);
      Verdict verdict = converseAndWait(process);
      if (watchdog != null) {
        watchdog.interrupt();
      }
      join(drainer);
      ended = true;
      return verdict;
    } finally {
      if (!ended) {
        kill(process);
      }
    }
  }

  private Verdict converseAndWait(Process process) {
    Verdict reported = null;
    String protocolProblem = null;
    try {
      reported = converse(process);
    } catch (ProtocolException e) {
      protocolProblem = e.getMessage();
      kill(process);
    } catch (IOException e) {
      // the child went away mid-conversation: its exit status tells why
    }
    int exit;
    try {
      exit = awaitExit(process);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return Verdict.failed(RunStatus.FAILED, "interrupted while waiting for the module");
    }
    if (reported != null) {
      return reported;
    }
    if (timedOut.get()) {
      return Verdict.failed(
          RunStatus.TIMED_OUT,
          "timed out after " + Units.duration(request.timeout().orElseThrow()) + "; killed");
    }
    if (exit == ModuleChild.EXIT_OUT_OF_MEMORY) {
      return outOfMemory();
    }
    if (protocolProblem != null) {
      return Verdict.failed(
          RunStatus.CRASHED, "child JVM broke the protocol (" + protocolProblem + "); killed");
    }
    return Verdict.failed(
        RunStatus.CRASHED, "child JVM exited with status " + exit + " without reporting a result");
  }

  private Verdict outOfMemory() {
    return Verdict.failed(
        RunStatus.OUT_OF_MEMORY,
        "exceeded its memory limit (" + Units.bytes(request.effectiveMemoryBytes()) + ")");
  }

  /** Serves the child until its result or the end of its stdout. */
  private Verdict converse(Process process) throws IOException {
    InputStream fromChild = new BufferedInputStream(process.getInputStream());
    OutputStream toChild = new BufferedOutputStream(process.getOutputStream());
    try (fromChild;
        toChild) {
      Wire.send(toChild, Wire.START, this::start);
      while (true) {
        Wire.Frame frame = Wire.receive(fromChild);
        if (frame == null) {
          return null;
        }
        switch (frame.type()) {
          case Wire.OUT -> copy(frame, out);
          case Wire.ERR -> copy(frame, err);
          case Wire.CALL -> serve(frame.fields(), toChild);
          case Wire.RESULT -> {
            return result(frame.fields());
          }
          default -> throw new ProtocolException("unexpected frame type " + frame.type());
        }
      }
    }
  }

  private void start(DataOutputStream data) throws IOException {
    Wire.writeString(data, request.packageId());
    Wire.writeString(data, request.entrypoint());
    Wire.writeString(data, zone.getId());
    List<String> uris = new ArrayList<>();
    request.classpath().forEach(p -> uris.add(p.toAbsolutePath().normalize().toUri().toString()));
    Wire.writeStrings(data, uris);
    Wire.writeStrings(data, request.arguments());
  }

  private static void copy(Wire.Frame frame, PrintStream target) throws IOException {
    target.write(frame.fields().readAllBytes());
    target.flush();
  }

  private Verdict result(DataInputStream in) throws IOException {
    String name = Wire.readString(in);
    int exit = in.readInt();
    String message = Wire.readString(in);
    Wire.end(in);
    RunStatus status;
    try {
      status = RunStatus.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("unknown status " + name);
    }
    return switch (status) {
      case COMPLETED -> new Verdict(status, exit, message);
      case FAILED, DENIED -> Verdict.failed(status, message);
      case OUT_OF_MEMORY -> outOfMemory();
      default -> throw new ProtocolException("a child cannot report " + name);
    };
  }

  /** A host call whose arguments are decoded and which yields the body of its reply. */
  private interface HostCall {
    Wire.Body perform();
  }

  private void serve(DataInputStream in, OutputStream toChild) throws IOException {
    HostCall call = decode(in.readByte(), in);
    Wire.end(in);
    try {
      // the reply is encoded inside the try, so a bad value from the host becomes an error reply
      Wire.send(toChild, Wire.RETURN, call.perform());
    } catch (CapabilityDeniedException e) {
      Wire.send(
          toChild,
          Wire.DENIED,
          data -> {
            Wire.writeString(data, String.valueOf(e.operation()));
            Wire.writeString(data, String.valueOf(e.path()));
            Wire.writeString(data, ServicesContext.message(e));
          });
    } catch (RuntimeException e) {
      Wire.send(toChild, Wire.ERROR, data -> Wire.writeString(data, ServicesContext.message(e)));
    }
  }

  private HostCall decode(byte operation, DataInputStream in) throws IOException {
    switch (operation) {
      case Wire.OP_READ -> {
        String path = Wire.readString(in);
        return () -> {
          byte[] data = host.read(path);
          return out -> Wire.writeBytes(out, data);
        };
      }
      case Wire.OP_WRITE -> {
        String path = Wire.readString(in);
        byte[] data = Wire.readBytes(in);
        return () -> {
          host.write(path, data);
          return out -> {};
        };
      }
      case Wire.OP_LIST -> {
        String directory = Wire.readString(in);
        return () -> {
          List<String> names = List.copyOf(host.list(directory));
          return out -> Wire.writeStrings(out, names);
        };
      }
      case Wire.OP_EXISTS -> {
        String path = Wire.readString(in);
        return () -> {
          boolean exists = host.exists(path);
          return out -> out.writeBoolean(exists);
        };
      }
      case Wire.OP_DELETE -> {
        String path = Wire.readString(in);
        return () -> {
          host.delete(path);
          return out -> {};
        };
      }
      case Wire.OP_EXEC -> {
        String path = Wire.readString(in);
        List<String> args = List.copyOf(Wire.readStrings(in));
        return () -> {
          int status = host.exec(path, args);
          return out -> out.writeInt(status);
        };
      }
      case Wire.OP_EVIDENCE -> {
        String kind = Wire.readString(in);
        Map<String, String> fields = Collections.unmodifiableMap(Wire.readMap(in));
        return () -> {
          host.emitEvidence(kind, fields);
          return out -> {};
        };
      }
      default -> throw new ProtocolException("unknown operation " + operation);
    }
  }

  private int awaitExit(Process process) throws InterruptedException {
    if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      kill(process);
      process.waitFor();
    }
    // anything the module left behind goes with it
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    return process.exitValue();
  }

  private Thread watch(Process process, Duration timeout) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!process.waitFor(ModuleRunner.millis(timeout), TimeUnit.MILLISECONDS)) {
                  timedOut.set(true);
                  kill(process);
                }
              } catch (InterruptedException e) {
                // the run ended before the timeout
              }
            },
            "agentpkg-timeout-" + request.packageId());
    watchdog.setDaemon(true);
    watchdog.start();
    return watchdog;
  }

  private Thread drainStderr(InputStream stderr) {
    Thread drainer =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  err.println("module: " + line);
                }
              } catch (IOException e) {
                // the child is gone; so is the rest of its stderr
              }
            },
            "agentpkg-stderr-" + request.packageId());
    drainer.setDaemon(true);
    drainer.start();
    return drainer;
  }

  private static void join(Thread thread) {
    try {
      thread.join(GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void kill(Process process) {
    // descendants first: once the child is gone they would be re-parented and out of reach
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @SuppressForbidden(reason = "ProcessBuilder takes its working directory only as a java.io.File")
  private void workDirectory(ProcessBuilder builder) {
    builder.directory(request.workDirectory().toFile());
  }
}
