package dev.agentpkg.runtime.exec;

import dev.agentpkg.core.SuppressForbidden;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the child JVM of a {@link Isolation#PROCESS} run. It reads a {@link Wire#START}
 * frame from stdin, runs the module with a {@link RemoteHost} behind its context, sends a {@link
 * Wire#RESULT} frame on stdout and halts. Only the JDK, the module API and this package are on the
 * child's classpath.
 */
@SuppressForbidden(reason = "a process entry point: owns stdin/stdout, the exit status, the clock")
public final class ModuleChild {
  /** Exit status when an {@link OutOfMemoryError} left no room to report it. */
  static final int EXIT_OUT_OF_MEMORY = 3;

  /** Exit status when the child itself failed (bad start frame, lost host). */
  static final int EXIT_INTERNAL = 70;

  private ModuleChild() {}

  public static void main(String[] args) {
    int status;
    try {
      status = serve();
    } catch (OutOfMemoryError e) {
      status = EXIT_OUT_OF_MEMORY;
    } catch (Throwable e) {
      System.err.println("agentpkg child: " + ModuleInvocation.describe(e));
      status = EXIT_INTERNAL;
    }
    System.err.flush();
    // halt: nothing the module registered (hooks, non-daemon threads) may delay or change the end
    Runtime.getRuntime().halt(status);
  }

  private static int serve() throws IOException {
    // the protocol owns the real stdout; stray prints go to stderr, which the host shows as text
    OutputStream toHost = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(System.err);
    InputStream fromHost = new BufferedInputStream(System.in);
    System.setIn(new ByteArrayInputStream(new byte[0]));

    Wire.Frame start = Wire.receive(fromHost);
    if (start == null || start.type() != Wire.START) {
      throw new IOException("expected a start frame from the host");
    }
    DataInputStream in = start.fields();
    String packageId = Wire.readString(in);
    String entrypoint = Wire.readString(in);
    ZoneId zone = ZoneId.of(Wire.readString(in));
    List<Path> classpath = new ArrayList<>();
    for (String uri : Wire.readStrings(in)) {
      classpath.add(Path.of(URI.create(uri)));
    }
    List<String> arguments = Wire.readStrings(in);
    Wire.end(in);

    RemoteHost host = new RemoteHost(fromHost, toHost);
    ServicesContext ctx =
        new ServicesContext(
            packageId,
            arguments,
            host,
            Clock.system(zone),
            host.output(Wire.OUT),
            host.output(Wire.ERR));
    Verdict verdict = run(packageId, entrypoint, classpath, ctx);
    host.result(verdict);
    return 0;
  }

  private static Verdict run(
      String packageId, String entrypoint, List<Path> classpath, ServicesContext ctx) {
    ModuleClassLoader loader;
    try {
      loader = ModuleClassLoader.create(packageId, classpath);
    } catch (EntrypointException e) {
      return Verdict.failed(RunStatus.FAILED, e.getMessage());
    }
    try {
      return ModuleInvocation.invoke(loader, entrypoint, ctx);
    } finally {
      loader.closeQuietly();
    }
  }
}
