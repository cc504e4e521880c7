package dev.agentpkg.registry.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.archive.EntrySink;
import dev.agentpkg.integrity.archive.PackageArchiveReader;
import dev.agentpkg.integrity.deps.DependencyChecker;
import dev.agentpkg.integrity.deps.DependencyProblem;
import dev.agentpkg.integrity.deps.InstalledPackage;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerFile;
import dev.agentpkg.integrity.ledger.LedgerHead;
import dev.agentpkg.integrity.ledger.LedgerProblem;
import dev.agentpkg.integrity.ledger.LedgerReport;
import dev.agentpkg.integrity.manifest.Dependency;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
    List<Finding> findings = new ArrayList<>();
    for (Path journal : Journal.pending(root.journal())) {
      findings.add(
          Finding.ofPackage(
              Finding.PENDING_TRANSACTION,
              null,
              "none",
              journal.getFileName().toString(),
              "interrupted transaction " + journal.getFileName() + "; run `agentpkg doctor`"));
    }
    LedgerFile ledgerFile = new LedgerFile(root.ledger(), ctx.clock());
    boolean ledgerOk = checkLedger(ledgerFile, findings);

    List<PackageRecord> all;
    try {
      all = new PackageRegistry(root).list();
    } catch (AgentpkgException e) {
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
    FileOwnership ownership = new FileOwnership(root);
    Map<PackageId, List<OwnedFile>> lists = new LinkedHashMap<>();
    for (PackageRecord r : records) {
      try {
        lists.put(r.id(), ownership.files(r.id()));
      } catch (AgentpkgException e) {
        lists.put(r.id(), List.of());
        findings.add(
            Finding.ofPackage(
                Finding.REGISTRY_INCONSISTENT,
                r.id().value(),
                "readable file list",
                "unreadable",
                e.getMessage()));
      }
    }
    checkOwnershipIndex(ownership, all, lists, only.isEmpty(), findings);
    Hashed totals = rehashAndWalk(lists, records, only.isEmpty(), progress, findings);
    checkDependencies(all, only, findings);
    checkSigners(records, findings);
    checkStatus(records, findings);
    checkStore(records, totals.store(), findings);
    if (ledgerOk) {
      checkReplay(
          ledgerFile, records, lists, only.isEmpty() ? all : records, only.isEmpty(), findings);
    }
    return new IntegrityReport(
        records.size(), totals.files(), totals.bytes(), totals.scanned(), findings);
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
    index.forEach(
        (path, owner) -> {
          Set<String> paths = listed.get(owner);
          if (paths == null || !paths.contains(path)) {
            findings.add(
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

  /**
   * Re-hashes every owned file on all cores while the calling thread walks the root for orphans.
   * Each worker takes the next file by index (large and small files spread themselves), reads it
   * once through its own reused buffer and digest, so memory stays at one buffer per thread however
   * many files there are, and the garbage a 20,000-file root would make stays small.
   */
  private Hashed rehashAndWalk(
      Map<PackageId, List<OwnedFile>> lists,
      List<PackageRecord> records,
      boolean walk,
      HashProgress progress,
      List<Finding> findings) {
    boolean posix = root.dir().getFileSystem().supportedFileAttributeViews().contains("posix");
    List<String> owners = new ArrayList<>();
    List<OwnedFile> all = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<PackageId, List<OwnedFile>> e : lists.entrySet()) {
      for (OwnedFile f : e.getValue()) {
        owners.add(e.getKey().value());
        all.add(f);
        bytes += f.size();
      }
    }
    progress.start(all.size(), bytes);
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      // the store archives are as big as their payload: queued first, so on n cores they are
      // hashed beside the files instead of one after another behind them
      Map<PackageId, Future<String>> store = new LinkedHashMap<>();
      for (PackageRecord r : records) {
        Path archive = root.store().resolve(PackageStore.fileName(r.id(), r.version()));
        store.put(
            r.id(),
            pool.submit(
                () ->
                    Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)
                        ? new Hasher().hex(archive)
                        : "missing"));
      }
      List<Future<List<Finding>>> futures = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        futures.add(
            pool.submit(
                () -> {
                  Hasher hasher = new Hasher();
                  List<Finding> found = new ArrayList<>();
                  for (int i; (i = next.getAndIncrement()) < all.size(); ) {
                    OwnedFile f = all.get(i);
                    found.addAll(checkFile(owners.get(i), f, posix, hasher));
                    progress.hashed(f.size());
                  }
                  return found;
                }));
      }
      List<Finding> orphans = new ArrayList<>();
      long scanned = walk ? orphans(lists, orphans) : 0;
      for (Future<List<Finding>> f : futures) {
        findings.addAll(f.get());
      }
      findings.addAll(orphans);
      Map<PackageId, String> storeDigests = new LinkedHashMap<>();
      for (Map.Entry<PackageId, Future<String>> e : store.entrySet()) {
        storeDigests.put(e.getKey(), e.getValue().get());
      }
      return new Hashed(all.size(), bytes, scanned, storeDigests);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while hashing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StorageException("hashing failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private record Hashed(long files, long bytes, long scanned, Map<PackageId, String> store) {}

  /** One worker's digest and read buffer, reused for every file it hashes. */
  private static final class Hasher {
    private final MessageDigest md = Sha256.newDigest();
    private final byte[] buf = new byte[256 * 1024];
    private final ByteBuffer view = ByteBuffer.wrap(buf);

    String hex(Path p) {
      md.reset();
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        for (int n; (n = ch.read(view.clear())) >= 0; ) {
          md.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
      }
      return Sha256.hex(md);
    }
  }

  private List<Finding> checkFile(String pkg, OwnedFile f, boolean posix, Hasher hasher) {
    Path p = root.dir().resolve(f.path());
    BasicFileAttributes attrs;
    try {
      attrs =
          posix
              ? Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              : Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of(
          Finding.ofPath(
              Finding.MISSING, pkg, f.path(), f.sha256(), "missing", f.path() + " is missing"));
    } catch (IOException e) {
      throw new StorageException("cannot read " + p + ": " + e.getMessage(), e);
    }
    if (!attrs.isRegularFile()) {
      return List.of(
          Finding.ofPath(
              Finding.MODIFIED,
              pkg,
              f.path(),
              f.sha256(),
              attrs.isSymbolicLink()
                  ? "symbolic link"
                  : attrs.isDirectory() ? "directory" : "not a regular file",
              f.path() + " is no longer a regular file"));
    }
    List<Finding> out = new ArrayList<>(1);
    String actual = hasher.hex(p);
    if (!actual.equals(f.sha256())) {
      out.add(
          Finding.ofPath(
              Finding.MODIFIED,
              pkg,
              f.path(),
              f.sha256(),
              actual,
              f.path() + " changed since install"));
    }
    if (attrs instanceof PosixFileAttributes pa) {
      String mode = mode(pa.permissions());
      if (!mode.equals(f.mode())) {
        out.add(
            Finding.ofPath(
                Finding.MODE_CHANGED,
                pkg,
                f.path(),
                f.mode(),
                mode,
                f.path() + " mode is " + mode + ", installed " + f.mode()));
      }
    }
    return out;
  }

  static String mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= 1 << (8 - p.ordinal());
    }
    return String.format(java.util.Locale.ROOT, "%04o", m);
  }

  /** Every file, link or other entry under the root, hidden ones too, must belong to a package. */
  private long orphans(Map<PackageId, List<OwnedFile>> lists, List<Finding> findings) {
    Set<String> owned = new HashSet<>();
    lists.values().forEach(files -> files.forEach(f -> owned.add(f.path())));
    Path dir = root.dir();
    long[] scanned = {0};
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (d.getParent() != null
                  && d.getParent().equals(dir)
                  && PathRules.RESERVED_DIRS.contains(d.getFileName().toString())) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              scanned[0]++;
              String rel = PathRules.relative(dir, file);
              if (!owned.contains(rel)) {
                String what =
                    attrs.isSymbolicLink()
                        ? "symbolic link"
                        : attrs.isOther() ? "special file" : "file";
                findings.add(
                    Finding.ofPath(
                        Finding.ORPHAN,
                        null,
                        rel,
                        "owned by a package",
                        "unowned " + what,
                        rel + " is not owned by any package"));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new StorageException("cannot walk " + dir + ": " + e.getMessage(), e);
    }
    return scanned[0];
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
      List<PackageRecord> records, Map<PackageId, String> digests, List<Finding> findings) {
    for (PackageRecord r : records) {
      String name = PackageStore.fileName(r.id(), r.version());
      Path archive = root.store().resolve(name);
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
        checkColumns(r, archive, findings);
      }
    }
  }

  /**
   * The registry row's descriptive columns against the installed package's own manifest. The
   * manifest is trusted because the archive holding it has the digest the registry (and, through
   * the replay, the ledger) recorded; a row edited after install, e.g. to loosen a dependency range
   * or move a package to another spec, shows up here although every file still hashes right.
   */
  private void checkColumns(PackageRecord r, Path archive, List<Finding> findings) {
    String id = r.id().value();
    PackageDescriptor d;
    try {
      d = installedDescriptor(archive);
    } catch (AgentpkgException e) {
      findings.add(
          Finding.ofPath(
              Finding.STORE_MISMATCH,
              id,
              "packages_store/" + archive.getFileName(),
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
        dependencies(d.dependencies()),
        dependencies(r.dependencies()));
  }

  /**
   * The descriptor part of an archive's manifest.json, without building and re-validating its file
   * list: the archive's digest already matched the installed one, and for a 20,000-file package the
   * list is most of the manifest and most of the cost of reading it.
   */
  private static PackageDescriptor installedDescriptor(Path archive) {
    byte[][] manifest = new byte[1][];
    String what = "manifest.json in packages_store/" + archive.getFileName();
    try (InputStream in = Files.newInputStream(archive)) {
      new PackageArchiveReader(ArchiveLimits.defaults())
          .read(
              in,
              bytes -> {
                manifest[0] = bytes;
                throw new StopAfterManifest();
              },
              EntrySink.DISCARD);
    } catch (StopAfterManifest stop) {
      // read as far as needed
    } catch (IOException e) {
      throw new StorageException("cannot read " + archive + ": " + e.getMessage(), e);
    }
    if (manifest[0] == null) {
      throw new VerificationException(what + " is missing");
    }
    JsonNode node = Json.parse(manifest[0], what);
    if (!(node instanceof ObjectNode o)) {
      throw new VerificationException(what + " is not a JSON object");
    }
    o.remove("schema");
    o.remove("files");
    return PackageDescriptor.parse(CanonicalJson.bytes(o), what);
  }

  private static final class StopAfterManifest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopAfterManifest() {
      super(null, null, false, false);
    }
  }

  /** The registry cell's own format: {@code "<id> <range>"} entries joined by ';'. */
  private static String dependencies(List<Dependency> deps) {
    StringBuilder b = new StringBuilder();
    for (Dependency dep : deps) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(dep.id().value()).append(' ').append(dep.range());
    }
    return b.toString();
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
      LedgerFile ledger,
      List<PackageRecord> records,
      Map<PackageId, List<OwnedFile>> lists,
      List<PackageRecord> scope,
      boolean whole,
      List<Finding> findings) {
    Map<String, LedgerReplay.Installed> replayed = LedgerReplay.replay(ledger.readLines());
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
