package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.cli.run.ModuleRun;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Durations;
import dev.agentpkg.runtime.exec.ChildJvm;
import dev.agentpkg.runtime.exec.Isolation;
import dev.agentpkg.runtime.exec.RunOutcome;
import dev.agentpkg.runtime.exec.RunRequest;
import dev.agentpkg.runtime.exec.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run an installed runtime module under the capabilities its manifest declares.",
      "Its jars are re-verified against the registry and re-scanned before loading; they load in",
      "a class loader that sees only the JDK and the module API. Every file operation goes",
      "through the host's capability check; denials are ledger events. The module's exit status",
      "is returned. Needs an operator token."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg run PKG-T1-RUNTIME-001 --token-file operator.token",
      "  agentpkg run PKG-T1-RUNTIME-001 --timeout 30s --memory 128m -- --verbose report",
      "  agentpkg run PKG-T1-RUNTIME-001 --isolation in-process --json"
    })
final class RunCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("^([0-9]{1,12})([kmg]?)$");

  private final CliEnv env;

  @Parameters(index = "0", paramLabel = "ID", description = "The installed package to run.")
  String id;

  @Parameters(
      index = "1..*",
      paramLabel = "ARGS",
      description = "Arguments for the module (put them after --).")
  List<String> arguments = new ArrayList<>();

  @Option(
      names = "--isolation",
      paramLabel = "MODE",
      defaultValue = "process",
      description =
          "process (default: a child JVM with a clean environment and no network where the OS"
              + " allows) or in-process (tiers G0-T1 only).")
  String isolation;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Kill the module after this long, e.g. 30s, 5m (default: no limit).")
  String timeout;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Heap limit of the child JVM, e.g. 64m, 1g (default: 256m; process only).")
  String memory;

  @Mixin TokenOptions token;

  RunCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  static OptionalLong parseMemory(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("--memory '" + text + "' is not a size such as 64m, 1g or 512k");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 0;
        };
    long bytes = n << shift;
    if (bytes >>> shift != n || bytes < RunRequest.MIN_MEMORY_BYTES) {
      throw new UsageException("--memory '" + text + "' must be at least 16m");
    }
    return OptionalLong.of(bytes);
  }

  private static final class Work {
    static int run(CliEnv env, RunCommand cmd) {
      Isolation isolation = Isolation.parse(cmd.isolation);
      Optional<Duration> timeout = Optional.ofNullable(cmd.timeout).map(Durations::parse);
      OptionalLong memory = parseMemory(cmd.memory);
      if (memory.isPresent() && isolation == Isolation.IN_PROCESS) {
        throw new UsageException("--memory applies to --isolation process only");
      }
      ModuleRun.Request req =
          new ModuleRun.Request(
              PackageId.of(cmd.id),
              isolation,
              timeout,
              memory,
              cmd.arguments,
              cmd.token.tokenText(env),
              cmd.token.lockTimeout());
      // under --json stdout carries only the result document, so the module's output moves
      ModuleRun.Result result =
          new ModuleRun(env.ctx(), env.root(), ChildJvm.forThisJvm(env.ctx().fileSystem()))
              .run(req, env.json() ? env.ctx().err() : env.ctx().out());
      RunOutcome outcome = result.outcome();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/run/v1");
      doc.put("package", cmd.id);
      doc.put("run_id", result.runId());
      doc.put("isolation", cmd.isolation);
      doc.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
      doc.put("exit_status", outcome.exitStatus());
      doc.put("duration_ms", outcome.duration().toMillis());
      doc.put("network_isolated", outcome.networkIsolated());
      doc.put("message", outcome.message());
      if (outcome.status() != RunStatus.COMPLETED) {
        env.ctx().err().println("agentpkg: error: " + cmd.id + " " + outcome.message());
      } else if (env.verbose()) {
        out.note(cmd.id + " " + outcome.message());
      }
      if (env.json()) {
        out.result(doc);
      }
      return outcome.exitStatus();
    }
  }
}
