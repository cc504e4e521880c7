package dev.agentpkg.registry.audit;

import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.integrity.deps.DependencyChecker;
import dev.agentpkg.integrity.deps.DependencyProblem;
import dev.agentpkg.integrity.deps.InstalledPackage;
import dev.agentpkg.integrity.ledger.LedgerFile;
import dev.agentpkg.integrity.ledger.LedgerHead;
import dev.agentpkg.integrity.ledger.LedgerProblem;
import dev.agentpkg.integrity.ledger.LedgerReport;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.PathRules;
import dev.agentpkg.registry.LedgerHeadStore;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.TrustedKey;
import dev.agentpkg.registry.install.FileListDigest;
import dev.agentpkg.registry.install.Journal;
import dev.agentpkg.registry.state.FileOwnership;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageRegistry;
import dev.agentpkg.registry.state.PackageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Proves a root is exactly what its registry and ledger say (SPEC section 5): every owned file
 * re-hashed on all cores, every file under the root accounted for, registry, ownership index,
 * trust, store and dependencies cross-checked, and the ledger both verified and replayed.
 */
public final class IntegrityChecker {
  private final AppContext ctx;
  private final Root root;
  private final int threads;

  public IntegrityChecker(AppContext ctx, Root root, int threads) {
    this.ctx = ctx;
    this.root = root;
    this.threads = Math.max(1, threads);
  }

  public IntegrityReport check(Optional<PackageId> only) {
    return check(only, new HashProgress());
  }

  /**
   * @param progress counters the re-hash advances as it goes, for a display on another thread
   */
  public IntegrityReport check(Optional<PackageId> only, HashProgress progress) {
    List<Finding> pending = new ArrayList<>();
    for (Path journal : Journal.pending(root.journal())) {
      pending.add(
          Finding.ofPackage(
              Finding.PENDING_TRANSACTION,
              null,
              "none",
              journal.getFileName().toString(),
              "interrupted transaction " + journal.getFileName() + "; run `agentpkg doctor`"));
    }
    LedgerFile ledgerFile = new LedgerFile(root.ledger(), ctx.clock());
    List<PackageRecord> all;
    try {
      all = new PackageRegistry(root).list();
    } catch (AgentpkgException e) {
      List<Finding> findings = new ArrayList<>(pending);
      checkLedger(ledgerFile, findings);
      findings.add(
          Finding.ofPackage(
              Finding.REGISTRY_INCONSISTENT,
              null,
              "readable registry",
              "unreadable",
              e.getMessage()));
      return new IntegrityReport(0, 0, 0, 0, findings);
    }
    List<PackageRecord> records = all;
    if (only.isPresent()) {
      records = all.stream().filter(r -> r.id().equals(only.get())).toList();
      if (records.isEmpty()) {
        throw new NotFoundException("package " + only.get() + " is not installed");
      }
    }
    boolean whole = only.isEmpty();
    FileOwnership ownership = new FileOwnership(root);
    List<Finding> listFindings = new ArrayList<>();
    Map<PackageId, List<OwnedFile>> lists = new LinkedHashMap<>();
    Map<PackageId, Path> archives = new LinkedHashMap<>();
    for (PackageRecord r : records) {
      archives.put(r.id(), root.store().resolve(PackageStore.fileName(r.id(), r.version())));
    }
    // Everything up to the join runs beside the re-hash: on 2 cores the records, the ledger and
    // the walk cost about as much as hashing 20,000 small files.
    Rehash rehash = Rehash.start(root.dir(), archives, threads);
    try {
      for (PackageRecord r : records) {
        try {
          lists.put(r.id(), ownership.files(r.id()));
        } catch (AgentpkgException e) {
          lists.put(r.id(), List.of());
          listFindings.add(
              Finding.ofPackage(
                  Finding.REGISTRY_INCONSISTENT,
                  r.id().value(),
                  "readable file list",
                  "unreadable",
                  e.getMessage()));
        }
      }
      rehash.files(lists, progress);
    } catch (RuntimeException e) {
      rehash.cancel();
      throw e;
    }
    List<Finding> ledgerFindings = new ArrayList<>();
    List<Finding> indexFindings = new ArrayList<>();
    OrphanWalk walk = whole ? new OrphanWalk(root.dir(), lists.values()) : null;
    Map<PackageId, StoreManifest> descriptors = new LinkedHashMap<>();
    Map<String, LedgerReplay.Installed> replayed = null;
    try {
      boolean ledgerOk = checkLedger(ledgerFile, ledgerFindings);
      checkOwnershipIndex(ownership, all, lists, whole, indexFindings);
      if (walk != null) {
        walk.walkRoot();
      }
      archives.forEach((id, archive) -> descriptors.put(id, StoreManifest.read(archive)));
      if (ledgerOk) {
        replayed = LedgerReplay.replay(ledgerFile.readLines());
      }
    } catch (RuntimeException e) {
      rehash.cancel();
      throw e;
    }
    Rehash.Result hashed = rehash.join();
    if (walk != null) {
      hashed.irregular().forEach(walk::walkReplaced);
    }
    List<Finding> findings = new ArrayList<>(pending);
    findings.addAll(ledgerFindings);
    findings.addAll(listFindings);
    findings.addAll(indexFindings);
    findings.addAll(hashed.findings());
    if (walk != null) {
      findings.addAll(walk.findings());
    }
    checkDependencies(all, only, findings);
    checkSigners(records, findings);
    checkStatus(records, findings);
    checkStore(records, hashed.store(), descriptors, findings);
    if (replayed != null) {
      checkReplay(replayed, records, lists, whole ? all : records, whole, findings);
    }
    return new IntegrityReport(
        records.size(),
        hashed.files(),
        hashed.bytes(),
        walk == null ? 0 : walk.scanned(),
        findings);
  }

  private boolean checkLedger(LedgerFile ledger, List<Finding> findings) {
    Optional<LedgerHead> head =
        new LedgerHeadStore(root).read().map(h -> new LedgerHead(h.seq(), h.hash()));
    LedgerReport report;
    try {
      report = ledger.verify(head);
    } catch (NotFoundException e) {
      findings.add(
          Finding.ofPath(
              Finding.LEDGER_BROKEN,
              null,
              "ledger/governance.jsonl",
              "present",
              "missing",
              e.getMessage()));
      return false;
    }
    if (report.problem().isEmpty()) {
      return true;
    }
    LedgerProblem p = report.problem().get();
    boolean truncated = p.kind().equals(LedgerProblem.TRUNCATED);
    // For a truncation p.seq() is the recorded head, i.e. what was expected; what was found is
    // where the ledger now ends (or, when it was cut and rewritten, a different entry at the head).
    String actual =
        !truncated
            ? "seq " + p.seq() + " (line " + p.line() + ")"
            : report.entries() < p.seq()
                ? "seq " + report.entries()
                : "seq " + p.seq() + " with another hash";
    findings.add(
        Finding.ofPath(
            truncated ? Finding.LEDGER_TRUNCATED : Finding.LEDGER_BROKEN,
            null,
            "ledger/governance.jsonl",
            head.map(h -> "seq " + h.seq()).orElse("intact chain"),
            actual,
            p.message()));
    return false;
  }

  /** The path index, the per-package lists and the registry rows must tell one story. */
  private void checkOwnershipIndex(
      FileOwnership ownership,
      List<PackageRecord> all,
      Map<PackageId, List<OwnedFile>> lists,
      boolean whole,
      List<Finding> findings) {
    if (whole && ownership.indexIsExactly(lists)) {
      checkStrayLists(ownership, all, findings);
      return;
    }
    Map<String, PackageId> index;
    try {
      index = ownership.allOwners();
    } catch (AgentpkgException e) {
      findings.add(
          Finding.ofPackage(
              Finding.REGISTRY_INCONSISTENT,
              null,
              "readable ownership index",
              "unreadable",
              e.getMessage()));
      return;
    }
    lists.forEach(
        (id, files) -> {
          for (OwnedFile f : files) {
            PackageId owner = index.get(f.path());
            if (!id.equals(owner)) {
              findings.add(
                  Finding.ofPath(
                      Finding.REGISTRY_INCONSISTENT,
                      id.value(),
                      f.path(),
                      id.value(),
                      owner == null ? "unindexed" : owner.value(),
                      f.path()
                          + " is in "
                          + id
                          + "'s file list but the ownership index says "
                          + (owner == null ? "nobody" : owner)));
            }
          }
        });
    if (!whole) {
      return;
    }
    Set<PackageId> installed = new HashSet<>();
    all.forEach(r -> installed.add(r.id()));
    Map<PackageId, Set<String>> listed = new LinkedHashMap<>();
    lists.forEach(
        (id, files) -> listed.put(id, new HashSet<>(files.stream().map(OwnedFile::path).toList())));
    List<Finding> unlisted = new ArrayList<>();
    index.forEach(
        (path, owner) -> {
          Set<String> paths = listed.get(owner);
          if (paths == null || !paths.contains(path)) {
            unlisted.add(
                Finding.ofPath(
                    Finding.REGISTRY_INCONSISTENT,
                    owner.value(),
                    path,
                    "listed by " + owner,
                    installed.contains(owner) ? "not in its file list" : "owner not installed",
                    "the ownership index gives "
                        + path
                        + " to "
                        + owner
                        + ", whose records do not list it"));
          }
        });
    unlisted.sort(Comparator.comparing(Finding::path, PathRules.UTF8_ORDER));
    findings.addAll(unlisted);
    checkStrayLists(ownership, all, findings);
  }

  /** File lists of packages the registry does not list as installed. */
  private static void checkStrayLists(
      FileOwnership ownership, List<PackageRecord> all, List<Finding> findings) {
    Set<PackageId> installed = new HashSet<>();
    all.forEach(r -> installed.add(r.id()));
    for (PackageId id : ownership.packagesWithLists()) {
      if (!installed.contains(id)) {
        findings.add(
            Finding.ofPackage(
                Finding.REGISTRY_INCONSISTENT,
                id.value(),
                "no file list",
                "registries/files/" + id + ".csv",
                "a file list exists for "
                    + id
                    + ", which the registry does not list as installed"));
      }
    }
  }

  private void checkDependencies(
      List<PackageRecord> all, Optional<PackageId> only, List<Finding> findings) {
    List<InstalledPackage> installed =
        all.stream()
            .map(r -> new InstalledPackage(r.id(), r.version(), r.tier(), r.dependencies()))
            .toList();
    for (DependencyProblem p : DependencyChecker.checkAll(installed)) {
      if (only.isPresent() && !p.pkg().equals(only.get())) {
        continue;
      }
      boolean tier =
          p.kind().equals(DependencyProblem.TIER_VIOLATION)
              || p.kind().equals(DependencyProblem.G0_HAS_DEPENDENCIES);
      findings.add(
          Finding.ofPackage(
              tier ? Finding.TIER_VIOLATION : Finding.UNSATISFIED_DEPENDENCY,
              p.pkg().value(),
              p.other() == null ? "" : p.other().value(),
              p.kind(),
              p.message()));
    }
  }

  private void checkSigners(List<PackageRecord> records, List<Finding> findings) {
    TrustStore trust = new TrustStore(root, ctx.clock());
    for (PackageRecord r : records) {
      Optional<TrustedKey> key = trust.find(r.signerKeyId());
      String problem =
          key.isEmpty()
              ? "not in the trust store"
              : !key.get().isActive()
                  ? "revoked at " + key.get().revokedAt()
                  : !key.get().mayServe(r.tier()) ? "not trusted for tier " + r.tier() : null;
      if (problem != null) {
        findings.add(
            Finding.ofPackage(
                Finding.UNTRUSTED_SIGNER,
                r.id().value(),
                r.signerKeyId(),
                problem,
                r.id() + " was signed by key " + r.signerKeyId() + ", now " + problem));
      }
    }
  }

  private void checkStore(
      List<PackageRecord> records,
      Map<PackageId, String> digests,
      Map<PackageId, StoreManifest> manifests,
      List<Finding> findings) {
    for (PackageRecord r : records) {
      String name = PackageStore.fileName(r.id(), r.version());
      String actual = digests.get(r.id());
      if (!actual.equals(r.archiveSha256())) {
        findings.add(
            Finding.ofPath(
                Finding.STORE_MISMATCH,
                r.id().value(),
                "packages_store/" + name,
                r.archiveSha256(),
                actual,
                "packages_store/"
                    + name
                    + (actual.equals("missing")
                        ? " is missing"
                        : " differs from the installed archive")));
      } else {
        checkColumns(r, name, manifests.get(r.id()), findings);
      }
    }
  }

  /**
   * The registry row's descriptive columns against the installed package's own manifest. The
   * manifest is trusted because the archive holding it has the digest the registry (and, through
   * the replay, the ledger) recorded; a row edited after install, e.g. to loosen a dependency range
   * or move a package to another spec, shows up here although every file still hashes right.
   */
  private void checkColumns(
      PackageRecord r, String storeName, StoreManifest manifest, List<Finding> findings) {
    String id = r.id().value();
    PackageDescriptor d;
    try {
      d = manifest.descriptor();
    } catch (AgentpkgException e) {
      findings.add(
          Finding.ofPath(
              Finding.STORE_MISMATCH,
              id,
              "packages_store/" + storeName,
              "readable manifest",
              "unreadable",
              e.getMessage()));
      return;
    }
    column(findings, id, "package_id", d.id().value(), id);
    column(findings, id, "version", d.version().toString(), r.version().toString());
    column(findings, id, "name", d.name(), r.name());
    column(findings, id, "tier", d.tier().name(), r.tier().name());
    column(findings, id, "spec_id", d.specId(), r.specId());
    column(
        findings,
        id,
        "framework_id",
        d.frameworkId() == null ? "" : d.frameworkId(),
        r.frameworkId());
    column(
        findings,
        id,
        "dependencies",
        PackageRecord.formatDependencies(d.dependencies()),
        PackageRecord.formatDependencies(r.dependencies()));
  }

  private static void column(
      List<Finding> findings, String id, String column, String manifest, String registry) {
    if (!manifest.equals(registry)) {
      findings.add(
          Finding.ofPackage(
              Finding.REGISTRY_INCONSISTENT,
              id,
              column + "=" + manifest,
              column + "=" + registry,
              id
                  + ": the registry's "
                  + column
                  + " '"
                  + registry
                  + "' differs from the installed manifest's '"
                  + manifest
                  + "'"));
    }
  }

  /** The registry lists installed packages only, and an installed package is active (SPEC 2.6). */
  private static void checkStatus(List<PackageRecord> records, List<Finding> findings) {
    for (PackageRecord r : records) {
      if (!r.isActive()) {
        findings.add(
            Finding.ofPackage(
                Finding.REGISTRY_INCONSISTENT,
                r.id().value(),
                "status=" + PackageRecord.STATUS_ACTIVE,
                "status=" + r.status(),
                r.id()
                    + ": the registry's status is '"
                    + r.status()
                    + "', not '"
                    + PackageRecord.STATUS_ACTIVE
                    + "', for a package it lists as installed"));
      }
    }
  }

  private void checkReplay(
      Map<String, LedgerReplay.Installed> replayed,
      List<PackageRecord> records,
      Map<PackageId, List<OwnedFile>> lists,
      List<PackageRecord> scope,
      boolean whole,
      List<Finding> findings) {
    Set<String> inRegistry = new HashSet<>();
    for (PackageRecord r : scope) {
      inRegistry.add(r.id().value());
    }
    for (PackageRecord r : records) {
      String id = r.id().value();
      LedgerReplay.Installed l = replayed.get(id);
      if (l == null) {
        findings.add(
            Finding.ofPackage(
                Finding.LEDGER_DISAGREES,
                id,
                "not installed",
                "installed " + r.version(),
                "the registry lists "
                    + id
                    + " "
                    + r.version()
                    + " but the ledger records no install of it"));
        continue;
      }
      disagree(findings, id, "version", l.version(), r.version().toString());
      disagree(findings, id, "archive sha256", l.archiveSha256(), r.archiveSha256());
      disagree(findings, id, "manifest sha256", l.manifestSha256(), r.manifestSha256());
      disagree(findings, id, "signer key", l.signerKeyId(), r.signerKeyId());
      String files = FileListDigest.of(lists.getOrDefault(r.id(), List.of()));
      disagree(findings, id, "file list sha256", l.filesSha256(), files);
    }
    if (whole) {
      replayed.forEach(
          (id, l) -> {
            if (!inRegistry.contains(id)) {
              findings.add(
                  Finding.ofPackage(
                      Finding.LEDGER_DISAGREES,
                      id,
                      "installed " + l.version(),
                      "not installed",
                      "the ledger says "
                          + id
                          + " "
                          + l.version()
                          + " is installed (seq "
                          + l.seq()
                          + ") but the registry does not list it"));
            }
          });
    }
  }

  private static void disagree(
      List<Finding> findings, String id, String what, String ledger, String registry) {
    if (!ledger.equals(registry)) {
      findings.add(
          Finding.ofPackage(
              Finding.LEDGER_DISAGREES,
              id,
              ledger,
              registry,
              id
                  + ": the ledger's "
                  + what
                  + " "
                  + ledger
                  + " differs from the registry's "
                  + registry));
    }
  }
}
