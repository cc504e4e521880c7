package dev.agentpkg.registry.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds interrupted transactions and finishes ({@code --resume}) or undoes ({@code --rollback})
 * them.
 */
public final class Doctor {
  /** One interrupted transaction as {@code doctor} reports it. */
  public record Pending(
      String tx, String op, String packageId, String version, int moves, int backups) {}

  private final AppContext ctx;
  private final Root root;

  public Doctor(AppContext ctx, Root root) {
    this.ctx = ctx;
    this.root = root;
  }

  public List<Pending> pending() {
    List<Pending> out = new ArrayList<>();
    for (Path f : Journal.pending(root.journal())) {
      Journal j = Journal.read(f);
      out.add(
          new Pending(
              j.tx(), j.op(), j.packageId(), j.version(), j.moves().size(), j.backups().size()));
    }
    return out;
  }

  /** Staging folders no journal refers to: left by a crash before the commit began. */
  public List<String> strayStaging() {
    Set<String> journaled = new HashSet<>();
    pending().forEach(p -> journaled.add(p.tx()));
    if (!Files.isDirectory(root.staging())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root.staging())) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !journaled.contains(n))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new dev.agentpkg.core.StorageException(
          "cannot list " + root.staging() + ": " + e.getMessage(), e);
    }
  }

  /** Finishes (resume) or undoes (rollback) every pending transaction, oldest first. */
  public List<Pending> recover(Session session, boolean resume) {
    List<Pending> done = new ArrayList<>();
    for (Path f : Journal.pending(root.journal())) {
      Journal j = Journal.read(f);
      Transaction t =
          new Transaction(root, j, Staging.existing(root, j.tx()), CrashPoints.NONE, ctx.clock());
      LedgerPackage pkg = new LedgerPackage(j.packageId(), j.version());
      if (resume) {
        t.forward(session, true);
      } else {
        t.requireNotCommitted(session);
        t.rollback();
        if (j.op().equals("install")) {
          ObjectNode d = Json.object();
          d.put("tx", j.tx());
          d.put("reason", "interrupted; rolled back by agentpkg doctor");
          d.put("exit_code", 1);
          session.record("INSTALL_FAILED", Optional.of(pkg), d);
        }
        t.finish();
      }
      ObjectNode d = Json.object();
      d.put("tx", j.tx());
      d.put("op", j.op());
      d.put("action", resume ? "resume" : "rollback");
      session.record("RECOVERED", Optional.of(pkg), d);
      done.add(
          new Pending(
              j.tx(), j.op(), j.packageId(), j.version(), j.moves().size(), j.backups().size()));
    }
    for (String stray : strayStaging()) {
      Staging.deleteTree(root.staging().resolve(stray));
    }
    return done;
  }
}
