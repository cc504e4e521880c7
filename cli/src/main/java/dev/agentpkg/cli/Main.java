package dev.agentpkg.cli;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.SuppressForbidden;
import dev.agentpkg.registry.install.CrashPoints;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.time.Clock;

/** The process entry point: the only place that reads the real process state or exits. */
public final class Main {
  private Main() {}

  @SuppressForbidden(reason = "the one place that binds the process to an AppContext and exits")
  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // building picocli's whole command model by reflection costs several times a JVM start
      System.out.println(versionLine());
      System.exit(0);
    }
    JitWarmup.start(args);
    FileSystem fs = FileSystems.getDefault();
    PrintStream out = stream(FileDescriptor.out);
    PrintStream err = stream(FileDescriptor.err);
    AppContext ctx =
        new AppContext(
            fs,
            fs.getPath(System.getProperty("user.dir")).toAbsolutePath(),
            Clock.systemUTC(),
            System.getenv(),
            out,
            err);
    // set by the launcher after `[ -t 2 ]`: the JVM itself cannot ask whether stderr is a tty
    boolean stderrTty = "true".equals(System.getProperty("agentpkg.stderr.tty"));
    int code =
        new Cli(ctx, crashHook(System.getenv("AGENTPKG_TEST_CRASH_AT"), out, err), stderrTty)
            .execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Read from the jar manifest; touches no picocli class, so the fast path stays small. String
   * concat, not {@code +}: javac compiles {@code +} to invokedynamic, and bootstrapping it spins a
   * class with ASM (about 60 JDK classes, a third of {@code --version}'s start-up CPU).
   */
  static String versionLine() {
    String v = Main.class.getPackage().getImplementationVersion();
    return "agentpkg ".concat(v == null ? "0.1.0-dev" : v);
  }

  /**
   * Crash-injection for the recovery tests: halts the JVM dead (no cleanup, no finally blocks) at
   * the named transaction point, as a power cut or kill -9 would.
   */
  @SuppressForbidden(reason = "halting the process is the point of crash injection")
  private static CrashPoints crashHook(String crashAt, PrintStream out, PrintStream err) {
    if (crashAt == null || crashAt.isEmpty()) {
      return CrashPoints.NONE;
    }
    return point -> {
      if (point.equals(crashAt)) {
        out.flush();
        err.flush();
        Runtime.getRuntime().halt(86);
      }
    };
  }

  @SuppressForbidden(reason = "wraps the real stdout/stderr once, with an explicit charset")
  private static PrintStream stream(FileDescriptor fd) {
    return new PrintStream(new FileOutputStream(fd), false, StandardCharsets.UTF_8);
  }
}
