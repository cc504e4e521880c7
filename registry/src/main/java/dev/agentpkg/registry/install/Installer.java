package dev.agentpkg.registry.install;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.deps.DependencyChecker;
import dev.agentpkg.integrity.deps.DependencyProblem;
import dev.agentpkg.integrity.deps.InstalledPackage;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.integrity.verify.ArchiveVerifier;
import dev.agentpkg.integrity.verify.SignedStatement;
import dev.agentpkg.registry.Actor;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.governance.Session;
import dev.agentpkg.registry.governance.TrustPolicy;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageState;
import dev.agentpkg.registry.state.PackageStore;
import dev.agentpkg.registry.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Installs or upgrades one package in the order SPEC section 4 makes safe: the archive is read once
 * into private staging and its signature checked against those bytes; the manifest, trust, role,
 * dependencies and ownership are checked before a single payload byte is extracted; the payload is
 * extracted into staging under hard limits; only then does a journaled commit rename files into the
 * root, update the registry and append the ledger.
 */
public final class Installer {
  private final AppContext ctx;
  private final Root root;
  private final CrashPoints crash;
  private final ArchiveLimits limits;
  private final CodeScreen codeScreen;

  /**
   * @param codeScreen checks every jar of a package before it is committed (SPEC 6)
   */
  public Installer(
      AppContext ctx, Root root, CrashPoints crash, ArchiveLimits limits, CodeScreen codeScreen) {
    this.ctx = ctx;
    this.root = root;
    this.crash = crash;
    this.limits = limits;
    this.codeScreen = codeScreen;
  }

  /** Stops the archive read once the plan is known: what {@code --dry-run} asks for. */
  private static final class PlanOnly extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PlanOnly() {
      super(null, null, false, false);
    }
  }

  /**
   * Directories a package may create: real packages need a few per hundred files, while a hostile
   * manifest giving each file its own 64-deep chain would make staging create ~100,000 of them
   * before the entry limit stops the read.
   */
  static final int MAX_DIRECTORIES = 50_000;

  public TransactionPlan install(Session session, InstallRequest req) {
    Actor actor = session.requireActor();
    clearStrayStaging();
    String tx = newTxId(ctx.clock());
    Staging staging = Staging.create(root, tx);
    Optional<LedgerPackage> pkg = Optional.empty();
    boolean journaled = false;
    try {
      // SPEC order: the role for the package's tier is checked before the archive is read; the
      // tier comes from the signature's statement, which the signature check binds below
      DsseEnvelope envelope = ArchiveVerifier.readEnvelope(req.archive());
      Statement claimed = Statement.parse(envelope.payload());
      pkg = Optional.of(new LedgerPackage(claimed.id(), claimed.version()));
      requireRole(actor, Tier.parse(claimed.tier()), "installing " + claimed.id());
      String name = req.archive().getFileName().toString();
      ArchiveVerifier verifier = new ArchiveVerifier(limits);
      TrustPolicy trust = new TrustPolicy(new TrustStore(root, ctx.clock()));
      // The signature is checked before the archive is read: the signed statement gives the
      // manifest's digest and the manifest each file's, so the one streamed read below checks every
      // byte before it is used, and the whole archive's digest is compared before anything
      // commits. Until then the statement's archive digest is only a claim.
      SignedStatement signed;
      TrustPolicy.SignerVerdict signer;
      PackageId id;
      Tier tier;
      SemVer version;
      StateStore state;
      List<PackageRecord> installed;
      PackageState previous;
      String action;
      String archiveSha256 = claimed.archiveSha256();
      try {
        signed = verifier.checkEnvelope(name, envelope, trust.knownKeys());
        Statement statement = signed.statement();
        id = PackageId.of(statement.id());
        tier = Tier.parse(statement.tier());
        version = SemVer.parse(statement.version());
        if (req.expectedId().isPresent() && !req.expectedId().get().equals(id)) {
          throw new UsageException(
              "--id " + req.expectedId().get() + " but " + name + " holds " + id);
        }
        signer = trust.requireTrusted(name, signed.verifiedKeyIds(), tier);
        if (req.allowTransfer() && actor.role() != Role.ADMIN) {
          throw new DeniedException("--allow-transfer needs an admin token");
        }
        state = new StateStore(root);
        // one parse of the registry serves the previous state and the dependency check
        installed = state.registry().list();
        PackageId pid = id;
        previous =
            new PackageState(
                id,
                installed.stream().filter(r -> r.id().equals(pid)).findFirst(),
                state.ownership().files(id));
        action = action(previous, version, archiveSha256, req.allowDowngrade());
      } catch (AgentpkgException | IllegalArgumentException e) {
        // what the file's own bytes say is reported first, as when it was hashed before the checks
        String digest = ArchiveVerifier.sha256Of(req.archive());
        ArchiveVerifier.checkSidecar(req.archive(), digest);
        if (DsseEnvelope.PAYLOAD_TYPE.equals(envelope.payloadType())) {
          ArchiveVerifier.checkDigest(name, claimed, digest);
        }
        throw e;
      }
      Statement statement = signed.statement();
      writeSignature(envelope, staging);
      if (action.equals("reinstall")) {
        String digest = ArchiveVerifier.sha256Of(req.archive());
        ArchiveVerifier.checkSidecar(req.archive(), digest);
        ArchiveVerifier.checkDigest(name, statement, digest);
        staging.delete();
        return new TransactionPlan(
            action,
            id.value(),
            version.toString(),
            tier.name(),
            Optional.of(version.toString()),
            archiveSha256,
            statement.manifestSha256(),
            signer.keyId(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(id + " " + version + " is already installed from this archive"));
      }
      Planner planner =
          new Planner(
              root,
              state,
              installed,
              previous,
              action,
              archiveSha256,
              statement.manifestSha256(),
              signer,
              req,
              storeName(req.archive(), id, version));
      Manifest[] manifest = new Manifest[1];
      List<Future<PreparedCommit>> prepared = new ArrayList<>(1);
      NewState newState =
          new NewState(
              tx,
              version,
              tier,
              archiveSha256,
              statement.manifestSha256(),
              signer.keyId(),
              actor.tokenId());
      boolean planOnly = false;
      try (CopyingSource in = CopyingSource.open(req.archive(), staging.archiveCopy())) {
        try {
          verifier.readContents(
              in.stream(),
              name,
              statement,
              m -> {
                manifest[0] = m;
                planner.plan(m);
                if (req.dryRun()) {
                  throw new PlanOnly();
                }
                prepared.add(startCommitPrep(newState, previous, planner, m));
              },
              staging.sink());
        } catch (PlanOnly stop) {
          planOnly = true;
        } catch (AgentpkgException | IllegalArgumentException e) {
          checkWhole(in, req.archive(), name, statement, e);
          throw e;
        }
        checkWhole(in, req.archive(), name, statement, null);
      }
      if (planOnly) {
        staging.delete();
        return planner.result();
      }
      staging.fixModes();
      Manifest m = manifest[0];
      Optional<CodeVerdict> code =
          CodeGate.check(codeScreen, root, state, installed, m, staging.newDir());
      code.ifPresent(v -> planner.noteCheck("bytecode scan: " + v.summary()));
      crash.reached(CrashPoints.AFTER_STAGING);
      Durability.flush(root.dir());

      PreparedCommit commit = PreparedCommit.await(prepared.get(0));
      Journal journal = commit.journal();
      commit.writeJournal(root.journal());
      journaled = true;
      crash.reached(CrashPoints.AFTER_JOURNAL);
      ObjectNode started = startedDetails(tx, planner.result());
      code.ifPresent(v -> started.set("code_scan", v.toJson()));
      session.record("INSTALL_STARTED", pkg, started);
      new Transaction(root, journal, staging, crash, ctx.clock(), state)
          .forward(session, false, commit.filesSha256());
      return planner.result();
    } catch (AgentpkgException | IllegalArgumentException e) {
      if (journaled) {
        throw e; // the journal stays for `agentpkg doctor`; the next command refuses to start
      }
      staging.delete();
      if (!req.dryRun()) {
        ObjectNode d = Json.object();
        d.put("tx", tx);
        d.put("reason", e.getMessage());
        d.put("exit_code", e instanceof AgentpkgException ae ? ae.exitCode().code() : 2);
        session.record("INSTALL_FAILED", pkg, d);
      }
      if (e instanceof IllegalArgumentException) {
        throw new UsageException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** What the new registry row takes from the signed statement and the session. */
  private record NewState(
      String tx,
      SemVer version,
      Tier tier,
      String archiveSha256,
      String manifestSha256,
      String signerKeyId,
      String installedBy) {}

  /**
   * Starts rendering the journal once the plan has passed, beside the extraction. The packages
   * giving up paths are read here, on the caller's thread, which owns the state store; the rest
   * comes from the plan and the manifest, which no longer change. {@code installed_at} is when the
   * checks passed, a second or so before the commit of a large package.
   */
  private Future<PreparedCommit> startCommitPrep(
      NewState s, PackageState previous, Planner planner, Manifest m) {
    List<PackageState> before = new ArrayList<>(List.of(previous));
    List<PackageState> givers = new ArrayList<>();
    planner.transferStates(before, givers);
    List<String> backups = planner.backups();
    List<String> units = List.copyOf(planner.units());
    List<String> storeFiles = planner.storeFiles();
    java.time.Instant installedAt =
        ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return PreparedCommit.start(
        () -> {
          PackageRecord record =
              new PackageRecord(
                  m.id(),
                  m.descriptor().name(),
                  s.version(),
                  s.tier(),
                  m.descriptor().specId(),
                  m.descriptor().frameworkId(),
                  "active",
                  s.archiveSha256(),
                  s.manifestSha256(),
                  s.signerKeyId(),
                  m.dependencies(),
                  installedAt,
                  s.installedBy());
          List<OwnedFile> files = m.files().stream().map(OwnedFile::of).toList();
          List<PackageState> after = new ArrayList<>();
          after.add(new PackageState(m.id(), Optional.of(record), files));
          after.addAll(givers);
          return new Journal(
              s.tx(),
              "install",
              m.id().value(),
              s.version().toString(),
              backups,
              units,
              before,
              after,
              storeFiles);
        });
  }

  /**
   * A process killed before its journal existed leaves only staging behind, which nothing refers
   * to; under the lock it is safe to remove, so a crash during extraction heals itself.
   */
  private void clearStrayStaging() {
    Doctor doctor = new Doctor(ctx, root);
    for (String stray : doctor.strayStaging()) {
      Staging.deleteTree(root.staging().resolve(stray));
    }
  }

  static void requireRole(Actor actor, Tier tier, String action) {
    Role needed = Role.requiredToManage(tier);
    if (!actor.role().covers(needed)) {
      throw new DeniedException(
          "token "
              + actor.tokenId()
              + " has role "
              + actor.role().label()
              + "; "
              + action
              + " (tier "
              + tier
              + ") needs "
              + needed.label());
    }
  }

  private static String action(
      PackageState previous, SemVer version, String archiveSha256, boolean allowDowngrade) {
    if (previous.record().isEmpty()) {
      return "install";
    }
    PackageRecord old = previous.record().get();
    int cmp = version.compareTo(old.version());
    if (cmp == 0) {
      if (old.archiveSha256().equals(archiveSha256)) {
        return "reinstall";
      }
      throw new VerificationException(
          old.id()
              + " "
              + version
              + " is installed from a different archive (sha256 "
              + old.archiveSha256()
              + "); the same version must not change");
    }
    if (cmp < 0 && !allowDowngrade) {
      throw new ConflictException(
          old.id()
              + " "
              + old.version()
              + " is installed; "
              + version
              + " is older (pass --allow-downgrade to go back)");
    }
    return cmp < 0 ? "downgrade" : "upgrade";
  }

  /**
   * The name an archive from outside the store is kept under: always {@code <ID>-<VERSION>.tar.gz},
   * whatever the file was called, so that {@code install ID} finds it again and two packages built
   * as the same file name ("build.tar.gz") do not collide in the store.
   */
  private Optional<String> storeName(Path archive, PackageId id, SemVer version) {
    Path store = root.store().toAbsolutePath().normalize();
    return archive.toAbsolutePath().normalize().getParent().equals(store)
        ? Optional.empty()
        : Optional.of(PackageStore.fileName(id, version));
  }

  /**
   * The whole archive, read to its end, must have the digest the signature covers (and its
   * sidecar's). After a refusal mid-read ({@code cause}) a digest mismatch is the one reported: the
   * file is not the signed archive, which says more than what was wrong inside it.
   */
  private static void checkWhole(
      CopyingSource in, Path archive, String name, Statement statement, Exception cause) {
    String digest;
    try {
      digest = in.finish();
    } catch (AgentpkgException e) {
      if (cause != null) {
        cause.addSuppressed(e);
        return;
      }
      throw e;
    }
    try {
      ArchiveVerifier.checkSidecar(archive, digest);
      ArchiveVerifier.checkDigest(name, statement, digest);
    } catch (VerificationException e) {
      if (cause != null) {
        e.addSuppressed(cause);
      }
      throw e;
    }
  }

  /** Keeps the exact envelope that was verified, for the store copy (also after a crash). */
  private static void writeSignature(DsseEnvelope envelope, Staging staging) {
    Path sig = staging.archiveCopy().resolveSibling("archive.tar.gz.sig");
    try {
      Files.write(sig, envelope.toJsonBytes());
    } catch (IOException e) {
      throw new StorageException("cannot write " + sig + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode startedDetails(String tx, TransactionPlan plan) {
    ObjectNode d = Json.object();
    d.put("tx", tx);
    d.put("action", plan.action());
    d.put("archive_sha256", plan.archiveSha256());
    d.put("manifest_sha256", plan.manifestSha256());
    d.put("signer_keyid", plan.signerKeyId());
    d.put("add", plan.add().size());
    d.put("replace", plan.replace().size());
    d.put("remove", plan.remove().size());
    plan.previousVersion().ifPresent(v -> d.put("previous_version", v));
    return d;
  }

  /** Sortable by start time, unique by its random part. */
  static String newTxId(java.time.Clock clock) {
    byte[] r = new byte[4];
    new SecureRandom().nextBytes(r);
    return String.format(
        java.util.Locale.ROOT, "tx-%013d-%s", clock.millis(), HexFormat.of().formatHex(r));
  }

  /** Decides every check that needs the manifest, before any payload is extracted. */
  static final class Planner {
    private final Root root;
    private final StateStore state;
    private final List<PackageRecord> installed;
    private final PackageState previous;
    private final String action;
    private final String archiveSha256;
    // the manifest is read only after its bytes matched this digest of the signed statement
    private final String manifestSha256;
    private final TrustPolicy.SignerVerdict signer;
    private final InstallRequest req;
    private final Optional<String> storeName;
    private final List<String> checks = new ArrayList<>();
    private final List<String> add = new ArrayList<>();
    private final List<String> replace = new ArrayList<>();
    private final List<String> remove = new ArrayList<>();
    private final Map<String, PackageId> transfers = new LinkedHashMap<>();
    private final List<String> units = new ArrayList<>();
    private Manifest manifest;

    Planner(
        Root root,
        StateStore state,
        List<PackageRecord> installed,
        PackageState previous,
        String action,
        String archiveSha256,
        String manifestSha256,
        TrustPolicy.SignerVerdict signer,
        InstallRequest req,
        Optional<String> storeName) {
      this.root = root;
      this.state = state;
      this.installed = installed;
      this.previous = previous;
      this.action = action;
      this.archiveSha256 = archiveSha256;
      this.manifestSha256 = manifestSha256;
      this.signer = signer;
      this.req = req;
      this.storeName = storeName;
    }

    void plan(Manifest m) {
      this.manifest = m;
      long dirs = directories(m);
      if (dirs > MAX_DIRECTORIES) {
        throw new VerificationException(
            "manifest.json: its paths would create "
                + dirs
                + " directories, more than the limit of "
                + MAX_DIRECTORIES
                + " directory entries");
      }
      checks.add("archive read once into private staging; sha256 " + archiveSha256);
      checks.add(signer.explain(m.tier()));
      checks.add("manifest matches the signed statement");
      checkDependencies(m);
      checkOwnership(m);
      checkLocalEdits();
      checkStore();
    }

    private void checkDependencies(Manifest m) {
      List<InstalledPackage> packages =
          installed.stream()
              .map(r -> new InstalledPackage(r.id(), r.version(), r.tier(), r.dependencies()))
              .toList();
      List<DependencyProblem> problems =
          DependencyChecker.checkInstall(InstalledPackage.of(m), packages);
      if (!problems.isEmpty()) {
        String text = String.join("; ", problems.stream().map(DependencyProblem::message).toList());
        boolean tierRule =
            problems.stream()
                .anyMatch(
                    p ->
                        p.kind().equals(DependencyProblem.TIER_VIOLATION)
                            || p.kind().equals(DependencyProblem.G0_HAS_DEPENDENCIES));
        throw tierRule ? new DeniedException(text) : new ConflictException(text);
      }
      checks.add(
          m.dependencies().isEmpty()
              ? "no dependencies"
              : "dependencies installed in satisfying versions: "
                  + String.join(
                      ", ", m.dependencies().stream().map(d -> d.id() + " " + d.range()).toList()));
    }

    /**
     * An upgrade replaces or removes the installed version's files; one edited since install would
     * be lost silently, so, like uninstall, it is refused unless forced.
     */
    private void checkLocalEdits() {
      if (previous.record().isEmpty()) {
        return;
      }
      Map<String, OwnedFile> old = new LinkedHashMap<>();
      previous.files().forEach(f -> old.put(f.path(), f));
      List<String> touched = new ArrayList<>(remove);
      replace.stream().filter(old::containsKey).forEach(touched::add);
      List<String> changed = new ArrayList<>();
      for (String p : touched) {
        Path live = root.dir().resolve(p);
        if (!Files.exists(live, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (!Files.isRegularFile(live, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            || !dev.agentpkg.integrity.digest.Sha256.hexOfFile(live).equals(old.get(p).sha256())) {
          changed.add(p);
        }
      }
      java.util.Collections.sort(changed);
      if (!changed.isEmpty() && !req.force()) {
        throw new ConflictException(
            changed.size()
                + " file(s) of the installed "
                + previous.id()
                + " changed since install and would be overwritten: "
                + String.join(", ", changed.subList(0, Math.min(10, changed.size())))
                + (changed.size() > 10 ? ", ..." : "")
                + "; nothing was changed (save them, or pass --force to overwrite them)");
      }
      checks.add(
          changed.isEmpty()
              ? "no installed file to replace or remove was changed since install"
              : changed.size() + " locally changed file(s) overwritten with --force");
    }

    private void checkOwnership(Manifest m) {
      Map<String, OwnedFile> old = new LinkedHashMap<>();
      previous.files().forEach(f -> old.put(f.path(), f));
      List<String> paths = m.files().stream().map(FileEntry::path).toList();
      Map<String, PackageId> owners = state.ownership().owners(paths);
      List<String> conflicts = new ArrayList<>();
      Path dir = root.dir();
      RootProbe probe = new RootProbe(dir);
      for (String p : paths) {
        PackageId owner = owners.get(p);
        try {
          probe.requireRealDirectories(p);
        } catch (ConflictException e) {
          conflicts.add(p + ": " + e.getMessage());
          continue;
        }
        RootProbe.Kind kind = probe.kind(p);
        boolean present = kind != RootProbe.Kind.ABSENT;
        if (owner != null && !owner.equals(m.id())) {
          if (req.allowTransfer()) {
            transfers.put(p, owner);
          } else {
            conflicts.add(p + " is owned by " + owner);
            continue;
          }
        } else if (owner == null && !old.containsKey(p) && present) {
          conflicts.add(p + " already exists and no package owns it");
          continue;
        }
        if (present && kind != RootProbe.Kind.FILE) {
          conflicts.add(p + " exists in the root and is not a regular file");
          continue;
        }
        if (old.containsKey(p) || transfers.containsKey(p)) {
          replace.add(p);
        } else {
          add.add(p);
        }
      }
      if (!conflicts.isEmpty()) {
        int n = conflicts.size();
        throw new ConflictException(
            n
                + " file conflict"
                + (n == 1 ? "" : "s")
                + ": "
                + String.join("; ", conflicts.subList(0, Math.min(5, n)))
                + (n > 5 ? "; ..." : "")
                + (req.allowTransfer()
                    ? ""
                    : " (an admin may pass --allow-transfer to take over owned paths)"));
      }
      java.util.Set<String> shipped = new java.util.HashSet<>(paths);
      for (String p : old.keySet()) {
        if (!shipped.contains(p)) {
          remove.add(p);
        }
      }
      checks.add(
          "no path owned by another package"
              + (transfers.isEmpty()
                  ? ""
                  : " (taking over " + transfers.size() + " with --allow-transfer)")
              + " and no unowned file overwritten");
      units.addAll(moveUnits(probe, paths));
    }

    private void checkStore() {
      if (storeName.isEmpty()) {
        return;
      }
      Path existing = root.store().resolve(storeName.get());
      if (Moves.exists(existing)) {
        String sha = ArchiveVerifier.sha256Of(existing);
        if (!sha.equals(archiveSha256)) {
          throw new ConflictException(
              "packages_store/"
                  + storeName.get()
                  + " already holds a different archive (sha256 "
                  + sha
                  + ")");
        }
      }
    }

    /**
     * The fewest renames that place every file: the topmost missing directory of a path moves as
     * one unit (a new 20,000-file package is then one rename), otherwise the file itself.
     */
    private static List<String> moveUnits(RootProbe probe, List<String> paths) {
      java.util.Set<String> units = new java.util.LinkedHashSet<>();
      for (String p : paths) {
        String unit = p;
        for (int i = p.indexOf('/'); ; i = p.indexOf('/', i + 1)) {
          String prefix = i < 0 ? p : p.substring(0, i);
          if (!probe.exists(prefix)) {
            unit = prefix;
            break;
          }
          if (i < 0) {
            break;
          }
        }
        units.add(unit);
      }
      return new ArrayList<>(units);
    }

    List<String> units() {
      return units;
    }

    private static long directories(Manifest m) {
      java.util.Set<String> dirs = new java.util.HashSet<>();
      for (FileEntry f : m.files()) {
        String p = f.path();
        for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
          if (!dirs.add(p.substring(0, i)) || dirs.size() > MAX_DIRECTORIES) {
            break;
          }
        }
      }
      return dirs.size();
    }

    List<String> backups() {
      List<String> b = new ArrayList<>(replace);
      b.addAll(remove);
      return b;
    }

    List<String> storeFiles() {
      return storeName
          .filter(n -> !Moves.exists(root.store().resolve(n)))
          .map(List::of)
          .orElse(List.of());
    }

    /** Paths taken over with --allow-transfer leave their old owners' records too. */
    void transferStates(List<PackageState> before, List<PackageState> after) {
      Map<PackageId, List<String>> byOwner = new LinkedHashMap<>();
      transfers.forEach(
          (p, owner) -> byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(p));
      byOwner.forEach(
          (owner, paths) -> {
            PackageState s = state.read(owner);
            before.add(s);
            after.add(
                new PackageState(
                    owner,
                    s.record(),
                    s.files().stream().filter(f -> !paths.contains(f.path())).toList()));
          });
    }

    void noteCheck(String check) {
      checks.add(check);
    }

    TransactionPlan result() {
      return new TransactionPlan(
          action,
          manifest.id().value(),
          manifest.version().toString(),
          manifest.tier().name(),
          previous.record().map(r -> r.version().toString()),
          archiveSha256,
          manifestSha256,
          signer.keyId(),
          add,
          replace,
          remove,
          new ArrayList<>(transfers.keySet()),
          List.of(),
          checks);
    }
  }
}
