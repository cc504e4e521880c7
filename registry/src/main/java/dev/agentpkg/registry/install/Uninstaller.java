package dev.agentpkg.registry.install;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.integrity.deps.DependencyChecker;
import dev.agentpkg.integrity.deps.InstalledPackage;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Actor;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Session;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageState;
import dev.agentpkg.registry.state.StateStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes a package nothing depends on: exactly its files (moved into staging first, so a crash can
 * be rolled back), the directories they leave empty, its registry row and ownership records. Files
 * changed since install block the removal unless forced, so local edits are never lost silently.
 */
public final class Uninstaller {
  private final AppContext ctx;
  private final Root root;
  private final CrashPoints crash;

  public Uninstaller(AppContext ctx, Root root, CrashPoints crash) {
    this.ctx = ctx;
    this.root = root;
    this.crash = crash;
  }

  public TransactionPlan uninstall(Session session, UninstallRequest req) {
    Actor actor = session.requireActor();
    StateStore state = new StateStore(root);
    PackageState previous = state.read(req.id());
    PackageRecord record =
        previous
            .record()
            .orElseThrow(() -> new NotFoundException("package " + req.id() + " is not installed"));
    Installer.requireRole(actor, record.tier(), "uninstalling " + req.id());

    List<InstalledPackage> installed =
        state.registry().list().stream()
            .map(r -> new InstalledPackage(r.id(), r.version(), r.tier(), r.dependencies()))
            .toList();
    List<PackageId> dependents = DependencyChecker.dependents(req.id(), installed);
    if (!dependents.isEmpty()) {
      throw new ConflictException(
          req.id()
              + " is needed by "
              + String.join(", ", dependents.stream().map(PackageId::value).toList())
              + "; uninstall them first");
    }

    List<String> remove = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    Path dir = root.dir();
    for (OwnedFile f : previous.files()) {
      Path live = dir.resolve(f.path());
      if (!Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (!Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS)
          || !Sha256.hexOfFile(live).equals(f.sha256())) {
        changed.add(f.path());
      }
      remove.add(f.path());
    }
    if (!changed.isEmpty() && !req.force()) {
      throw new ConflictException(
          changed.size()
              + " file(s) of "
              + req.id()
              + " changed since install and were kept: "
              + String.join(", ", changed.subList(0, Math.min(10, changed.size())))
              + (changed.size() > 10 ? ", ..." : "")
              + "; nothing was removed (pass --force to remove them anyway)");
    }
    List<String> checks = new ArrayList<>();
    checks.add("no installed package depends on " + req.id());
    checks.add(
        changed.isEmpty()
            ? "no file changed since install"
            : changed.size() + " changed file(s) removed with --force");
    TransactionPlan plan =
        new TransactionPlan(
            "uninstall",
            req.id().value(),
            record.version().toString(),
            record.tier().name(),
            Optional.of(record.version().toString()),
            record.archiveSha256(),
            record.manifestSha256(),
            record.signerKeyId(),
            List.of(),
            List.of(),
            remove,
            List.of(),
            List.of(),
            checks);
    if (req.dryRun()) {
      return plan;
    }
    String tx = Installer.newTxId(ctx.clock());
    Staging staging = Staging.create(root, tx);
    Journal journal =
        new Journal(
            tx,
            "uninstall",
            req.id().value(),
            record.version().toString(),
            remove,
            List.of(),
            List.of(previous),
            List.of(new PackageState(req.id(), Optional.empty(), List.of())),
            List.of());
    journal.write(root.journal());
    crash.reached(CrashPoints.AFTER_JOURNAL);
    new Transaction(root, journal, staging, crash, ctx.clock(), state).forward(session, false);
    return plan;
  }
}
