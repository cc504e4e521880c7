package dev.agentpkg.registry.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import dev.agentpkg.integrity.ledger.LedgerFile;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Session;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageState;
import dev.agentpkg.registry.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Carries a journaled transaction forward to its end or back to its start. Both directions are made
 * of idempotent steps, so they serve the normal path and {@code doctor} after a crash alike.
 */
final class Transaction {
  static final String INSTALLED = "INSTALLED";
  static final String UNINSTALLED = "UNINSTALLED";

  private final Root root;
  private final Journal journal;
  private final Staging staging;
  private final CrashPoints crash;
  private final Clock clock;
  private final StateStore state;

  Transaction(Root root, Journal journal, Staging staging, CrashPoints crash, Clock clock) {
    this(root, journal, staging, crash, clock, new StateStore(root));
  }

  /**
   * @param state the store the caller planned with: what it has parsed is reused when the files are
   *     unchanged since
   */
  Transaction(
      Root root,
      Journal journal,
      Staging staging,
      CrashPoints crash,
      Clock clock,
      StateStore state) {
    this.root = root;
    this.journal = journal;
    this.staging = staging;
    this.crash = crash;
    this.clock = clock;
    this.state = state;
  }

  /**
   * @param recovering true under {@code doctor}: the commit event may already be in the ledger (a
   *     crash after it), so look before appending; a normal run knows it is not
   */
  void forward(Session session, boolean recovering) {
    forward(session, recovering, null);
  }

  /**
   * @param targetFilesSha256 {@link FileListDigest} of the installing package's new file list when
   *     the caller has it already, else null
   */
  void forward(Session session, boolean recovering, String targetFilesSha256) {
    Path dir = root.dir();
    Moves.backup(dir, staging.oldDir(), journal.backups());
    crash.reached(CrashPoints.AFTER_BACKUP);
    publishToStore();
    Moves.moveIn(dir, staging.newDir(), journal.moves(), crash);
    crash.reached(CrashPoints.AFTER_MOVES);
    Durability.flush(dir);
    crash.reached(CrashPoints.BEFORE_REGISTRY);
    // packages giving up paths (--allow-transfer) come after index 0: they must let go first
    for (int i = journal.target().size() - 1; i >= 0; i--) {
      state.apply(journal.previous().get(i), journal.target().get(i));
    }
    crash.reached(CrashPoints.BEFORE_LEDGER);
    if (!recovering || !recorded(session)) {
      session.record(event(), Optional.of(pkg()), details(targetFilesSha256));
    }
    crash.reached(CrashPoints.BEFORE_CLEANUP);
    Moves.pruneEmptyParents(dir, journal.backups());
    finish();
  }

  void rollback() {
    Path dir = root.dir();
    Moves.moveOut(dir, staging.newDir(), journal.moves());
    for (String f : journal.storeFiles()) {
      for (String suffix : List.of("", ".sig", ".sha256")) {
        deleteIfExists(root.store().resolve(f + suffix));
      }
    }
    Moves.restore(dir, staging.oldDir(), journal.backups());
    Durability.flush(dir);
    // the installing package lets go of transferred paths before their old owners take them back
    for (int i = 0; i < journal.target().size(); i++) {
      state.apply(journal.target().get(i), journal.previous().get(i));
    }
    Moves.pruneEmptyParents(dir, journal.moves());
  }

  /** Whether the commit event of this transaction is already in the ledger (a crash after it). */
  boolean recorded(Session session) {
    LedgerFile ledger = new LedgerFile(root.ledger(), clock);
    List<String> lines = ledger.readLines();
    for (int i = lines.size() - 1; i >= 0 && i >= lines.size() - 64; i--) {
      if (lines.get(i).isEmpty()) {
        continue;
      }
      LedgerEntry e = LedgerEntry.parse(lines.get(i));
      if (e.event().equals(event()) && journal.tx().equals(e.details().path("tx").asText())) {
        return true;
      }
    }
    return false;
  }

  void requireNotCommitted(Session session) {
    if (recorded(session)) {
      throw new ConflictException(
          "transaction "
              + journal.tx()
              + " already reached the ledger; finish it with `agentpkg doctor --resume`");
    }
  }

  void finish() {
    journal.delete(root.journal());
    staging.delete();
  }

  String event() {
    return journal.op().equals("uninstall") ? UNINSTALLED : INSTALLED;
  }

  LedgerPackage pkg() {
    return new LedgerPackage(journal.packageId(), journal.version());
  }

  private ObjectNode details(String targetFilesSha256) {
    ObjectNode d = Json.object();
    d.put("tx", journal.tx());
    PackageState before = journal.previous().get(0);
    PackageState after = journal.target().get(0);
    Optional<PackageRecord> rec = after.record().or(before::record);
    rec.ifPresent(
        r -> {
          d.put("archive_sha256", r.archiveSha256());
          d.put("manifest_sha256", r.manifestSha256());
          d.put("signer_keyid", r.signerKeyId());
        });
    d.put("files", (journal.op().equals("uninstall") ? before : after).files().size());
    if (!journal.op().equals("uninstall")) {
      d.put(
          "files_sha256",
          targetFilesSha256 != null ? targetFilesSha256 : FileListDigest.of(after.files()));
    }
    before.record().ifPresent(r -> d.put("previous_version", r.version().toString()));
    if (journal.target().size() > 1) {
      // packages that gave up paths: their new file lists, so a ledger replay can follow them
      ObjectNode from = d.putObject("transferred_from");
      for (PackageState gave : journal.target().subList(1, journal.target().size())) {
        from.put(gave.id().value(), FileListDigest.of(gave.files()));
      }
    }
    return d;
  }

  /** Puts the verified archive into packages_store/ so it can be reinstalled from there. */
  private void publishToStore() {
    for (String name : journal.storeFiles()) {
      Path target = root.store().resolve(name);
      try {
        Files.createDirectories(root.store());
        if (!Moves.exists(target) && Moves.exists(staging.archiveCopy())) {
          copySidecar(
              staging.archiveCopy().resolveSibling("archive.tar.gz.sig"),
              root.store().resolve(name + ".sig"));
          Files.writeString(
              root.store().resolve(name + ".sha256"),
              journal.target().get(0).record().map(PackageRecord::archiveSha256).orElseThrow()
                  + "  "
                  + name
                  + "\n");
          Files.move(staging.archiveCopy(), target);
        }
      } catch (IOException e) {
        throw new StorageException(
            "cannot publish " + name + " to the store: " + e.getMessage(), e);
      }
    }
  }

  private static void copySidecar(Path from, Path to) throws IOException {
    if (Moves.exists(from)) {
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteIfExists(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new StorageException("cannot remove " + p + ": " + e.getMessage(), e);
    }
  }
}
