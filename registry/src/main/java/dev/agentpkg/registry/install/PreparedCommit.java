package dev.agentpkg.registry.install;

import dev.agentpkg.core.Handoff;
import java.nio.file.Path;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * What an install's commit writes that the plan already decides: the journal, rendered, and the
 * digest of the new file list for the ledger. Worked out on a thread of its own while the payload
 * is extracted, when the second core has time left over (the inflate keeps the main thread busy),
 * instead of on the main thread after it; for 20,000 files that is ~0.1 s of the commit. It writes
 * nothing, so an install refused during extraction just drops it.
 */
final class PreparedCommit {
  private final Journal journal;
  private final byte[] journalBytes;
  private final String filesSha256;

  private PreparedCommit(Journal journal, String filesSha256) {
    this.journal = journal;
    this.journalBytes = journal.toBytes();
    this.filesSha256 = filesSha256;
  }

  /** Starts preparing the commit of {@code journal}, whose target(0) is the installing package. */
  static Future<PreparedCommit> start(Supplier<Journal> journal) {
    return Handoff.beside(
        "agentpkg-commit-prep",
        () -> {
          Journal j = journal.get();
          return new PreparedCommit(j, FileListDigest.of(j.target().get(0).files()));
        });
  }

  static PreparedCommit await(Future<PreparedCommit> task) {
    return Handoff.result(task, "preparing the commit");
  }

  Journal journal() {
    return journal;
  }

  /** Writes the journal durably, as {@link Journal#write(Path)} would. */
  void writeJournal(Path journalDir) {
    journal.write(journalDir, journalBytes);
  }

  String filesSha256() {
    return filesSha256;
  }
}
