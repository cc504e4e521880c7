package dev.agentpkg.runtime.exec;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Runs a module's jars in an isolated class loader, in a child JVM or on a thread of the host. */
public final class ModuleRunner {
  private static final List<String> UNSHARE_CANDIDATES =
      List.of("/usr/bin/unshare", "/bin/unshare");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final ChildJvm childJvm;
  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;
  private final Object probeLock = new Object();
  private NetworkIsolation networkIsolation;
  private volatile Consumer<ProcessHandle> childListener = handle -> {};

  public ModuleRunner(ChildJvm childJvm, Clock clock, PrintStream out, PrintStream err) {
    this.childJvm = Objects.requireNonNull(childJvm, "childJvm");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  /** Lets tests see the child process, to check that it is gone after a timeout. */
  void onChildStarted(Consumer<ProcessHandle> listener) {
    this.childListener = Objects.requireNonNull(listener);
  }

  /**
   * Runs the module once. Never throws for anything the module does: every ending is an outcome.
   */
  public RunOutcome run(RunRequest request, HostServices host) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(host, "host");
    Instant start = clock.instant();
    Verdict verdict;
    boolean isolated = false;
    if (request.isolation() == Isolation.IN_PROCESS) {
      verdict = runInProcess(request, host);
    } else {
      NetworkIsolation network = networkIsolation();
      if (network.problem() != null) {
        err.println(
            "agentpkg: network isolation unavailable ("
                + network.problem()
                + "); running without it");
      }
      isolated = !network.prefix().isEmpty();
      verdict =
          new ChildRun(
                  childJvm,
                  network.prefix(),
                  request,
                  host,
                  clock.getZone(),
                  out,
                  err,
                  childListener)
              .run();
    }
    Duration duration = Duration.between(start, clock.instant());
    return verdict.outcome(duration.isNegative() ? Duration.ZERO : duration, isolated);
  }

  private Verdict runInProcess(RunRequest request, HostServices host) {
    ModuleClassLoader loader;
    try {
      loader = ModuleClassLoader.create(request.packageId(), request.classpath());
    } catch (EntrypointException e) {
      return Verdict.failed(RunStatus.FAILED, e.getMessage());
    }
    try {
      ServicesContext ctx =
          new ServicesContext(request.packageId(), request.arguments(), host, clock, out, err);
      AtomicReference<Verdict> result = new AtomicReference<>();
      // a thread of its own, so a module that never returns can be abandoned at the timeout
      Thread thread =
          new Thread(
              () -> result.set(ModuleInvocation.invoke(loader, request.entrypoint(), ctx)),
              "agentpkg-module-" + request.packageId());
      thread.setDaemon(true);
      thread.start();
      try {
        if (request.timeout().isPresent()) {
          TimeUnit.MILLISECONDS.timedJoin(thread, millis(request.timeout().get()));
        } else {
          thread.join();
        }
      } catch (InterruptedException e) {
        thread.interrupt();
        Thread.currentThread().interrupt();
        return Verdict.failed(RunStatus.FAILED, "interrupted while waiting for the module");
      }
      if (thread.isAlive()) {
        thread.interrupt();
        return Verdict.failed(
            RunStatus.TIMED_OUT,
            "timed out after "
                + Units.duration(request.timeout().orElseThrow())
                + "; interrupted (in-process, its thread may linger)");
      }
      Verdict verdict = result.get();
      if (verdict == null) {
        return Verdict.failed(RunStatus.CRASHED, "module thread ended without a result");
      }
      if (verdict.status() == RunStatus.OUT_OF_MEMORY) {
        return Verdict.failed(
            RunStatus.OUT_OF_MEMORY, "ran out of memory (in-process, it shares the host's heap)");
      }
      return verdict;
    } finally {
      loader.closeQuietly();
    }
  }

  static long millis(Duration duration) {
    try {
      return Math.max(1, duration.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * @param prefix the command that puts the child in a network namespace of its own; empty when
   *     that is unavailable
   * @param problem why it is unavailable, or {@code null} when it works or was not wanted
   */
  private record NetworkIsolation(List<String> prefix, String problem) {}

  /** Probed once per runner: a failed probe costs a process start on every run otherwise. */
  private NetworkIsolation networkIsolation() {
    synchronized (probeLock) {
      if (networkIsolation == null) {
        networkIsolation = probeUnshare();
      }
      return networkIsolation;
    }
  }

  private NetworkIsolation probeUnshare() {
    if (!childJvm.tryUnshare()) {
      return new NetworkIsolation(List.of(), null);
    }
    Path unshare = null;
    for (String candidate : UNSHARE_CANDIDATES) {
      Path path = childJvm.javaExecutable().getFileSystem().getPath(candidate);
      if (Files.isExecutable(path)) {
        unshare = path;
        break;
      }
    }
    if (unshare == null) {
      return new NetworkIsolation(List.of(), "unshare not found");
    }
    List<String> prefix = List.of(unshare.toString(), "-rn");
    try {
      ProcessBuilder probe = new ProcessBuilder(unshare.toString(), "-rn", "true");
      probe.environment().clear();
      probe.redirectInput(Redirect.PIPE).redirectOutput(Redirect.DISCARD);
      probe.redirectError(Redirect.DISCARD);
      Process process = probe.start();
      process.getOutputStream().close();
      if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new NetworkIsolation(List.of(), "unshare -rn did not finish");
      }
      if (process.exitValue() != 0) {
        return new NetworkIsolation(
            List.of(), "unshare -rn exited with status " + process.exitValue());
      }
      return new NetworkIsolation(prefix, null);
    } catch (IOException e) {
      return new NetworkIsolation(List.of(), "cannot start unshare: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new NetworkIsolation(List.of(), "interrupted while probing unshare");
    }
  }
}
