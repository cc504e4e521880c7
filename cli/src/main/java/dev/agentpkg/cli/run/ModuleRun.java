package dev.agentpkg.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.registry.Actor;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import dev.agentpkg.registry.install.CodeVerdict;
import dev.agentpkg.runtime.capability.CapabilityEnforcer;
import dev.agentpkg.runtime.exec.ChildJvm;
import dev.agentpkg.runtime.exec.Isolation;
import dev.agentpkg.runtime.exec.ModuleRunner;
import dev.agentpkg.runtime.exec.RunOutcome;
import dev.agentpkg.runtime.exec.RunRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One {@code agentpkg run}: under the root lock it authenticates the operator, re-verifies and
 * copies the module's jars, scans them again and records {@code RUN_STARTED}; then, without the
 * lock, runs the module with a {@link GovernedHost} and records {@code RUN_FINISHED}.
 */
public final class ModuleRun {
  /** What the user asked for; {@code memory} and {@code timeout} are optional limits. */
  public record Request(
      PackageId id,
      Isolation isolation,
      Optional<Duration> timeout,
      OptionalLong memoryBytes,
      List<String> arguments,
      Optional<String> tokenText,
      Duration lockTimeout) {
    public Request {
      arguments = List.copyOf(arguments);
    }
  }

  /** The outcome plus what identifies the run in the ledger. */
  public record Result(String runId, RunOutcome outcome) {}

  private final AppContext ctx;
  private final Root root;
  private final ChildJvm childJvm;

  public ModuleRun(AppContext ctx, Root root, ChildJvm childJvm) {
    this.ctx = ctx;
    this.root = root;
    this.childJvm = childJvm;
  }

  private record Prepared(
      Actor actor, InstalledModule module, ModuleCode code, CapabilityEnforcer enforcer) {}

  /**
   * @param moduleOut where the module's own output goes (stderr under {@code --json})
   */
  public Result run(Request req, PrintStream moduleOut) {
    Governance governance = new Governance(ctx, root);
    String runId = newRunId();
    Path runDir = root.privateDir().resolve("run").resolve(runId);
    LedgerPackage[] pkg = new LedgerPackage[1];
    try {
      Prepared prepared =
          governance.mutate(
              new MutationRequest(
                  "run " + req.id(),
                  req.tokenText(),
                  Role.OPERATOR,
                  "running modules",
                  req.lockTimeout()),
              session -> {
                InstalledModule module = InstalledModule.load(root, req.id());
                pkg[0] =
                    new LedgerPackage(module.id().value(), module.record().version().toString());
                requireIsolationAllowed(module, req.isolation());
                RunDirectories.clearAbandoned(runDir.getParent());
                createPrivate(runDir.resolve("lib"));
                createPrivate(runDir.resolve("work"));
                RunDirectories.claim(runDir);
                ModuleCode code = ModuleCode.copy(root.dir(), module, runDir.resolve("lib"));
                CodeVerdict verdict = CodeScan.standard().scan(code);
                if (!verdict.allowed()) {
                  ObjectNode d = Json.object();
                  d.put("run_id", runId);
                  d.set("code_scan", verdict.toJson());
                  session.record("RUN_REFUSED", Optional.of(pkg[0]), d);
                  throw new DeniedException(verdict.refusal(module.id().value()));
                }
                ObjectNode d = Json.object();
                d.put("run_id", runId);
                d.put("isolation", req.isolation().name().toLowerCase(Locale.ROOT));
                req.timeout().ifPresent(t -> d.put("timeout_ms", t.toMillis()));
                req.memoryBytes().ifPresent(m -> d.put("memory_bytes", m));
                d.put("arguments", req.arguments().size());
                d.set("code_scan", verdict.toJson());
                session.record("RUN_STARTED", Optional.of(pkg[0]), d);
                return new Prepared(
                    session.requireActor(),
                    module,
                    code,
                    Capabilities.enforcer(root, module.manifest().capabilities()));
              });
      RunEvents events =
          new RunEvents(governance, prepared.actor(), pkg[0], runId, req.lockTimeout());
      GovernedHost host =
          new GovernedHost(prepared.enforcer(), events, runDir.resolve("work"), ctx.err());
      RunOutcome outcome =
          new ModuleRunner(childJvm, ctx.clock(), moduleOut, ctx.err())
              .run(
                  new RunRequest(
                      req.id().value(),
                      prepared.module().manifest().runtime().entrypoint(),
                      prepared.code().classpath(),
                      req.arguments(),
                      req.isolation(),
                      req.timeout(),
                      req.memoryBytes(),
                      runDir.resolve("work")),
                  host);
      ObjectNode d = Json.object();
      d.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
      d.put("exit_status", outcome.exitStatus());
      d.put("duration_ms", outcome.duration().toMillis());
      d.put("network_isolated", outcome.networkIsolated());
      d.put("message", outcome.message());
      events.record("RUN_FINISHED", d);
      return new Result(runId, outcome);
    } finally {
      RunDirectories.delete(runDir);
    }
  }

  /** SPEC 6: in-process is for trusted tiers; T2 and T3 modules always get their own JVM. */
  static void requireIsolationAllowed(InstalledModule module, Isolation isolation) {
    Tier tier = module.record().tier();
    if (isolation == Isolation.IN_PROCESS && (tier == Tier.T2 || tier == Tier.T3)) {
      throw new DeniedException(
          module.id()
              + " is tier "
              + tier
              + "; in-process isolation is only for tiers G0, T0 and T1 (use --isolation"
              + " process)");
    }
  }

  private String newRunId() {
    byte[] r = new byte[4];
    new SecureRandom().nextBytes(r);
    return String.format(
        Locale.ROOT, "run-%013d-%s", ctx.clock().millis(), HexFormat.of().formatHex(r));
  }

  private static void createPrivate(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    } catch (IOException e) {
      throw new StorageException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
