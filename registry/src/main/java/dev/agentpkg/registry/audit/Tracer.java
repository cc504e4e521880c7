package dev.agentpkg.registry.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.deps.DependencyChecker;
import dev.agentpkg.integrity.deps.DependencyNode;
import dev.agentpkg.integrity.deps.InstalledPackage;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import dev.agentpkg.integrity.ledger.LedgerFile;
import dev.agentpkg.integrity.manifest.Capabilities;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.PathRules;
import dev.agentpkg.integrity.verify.ArchiveVerifier;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.TrustedKey;
import dev.agentpkg.registry.state.FileOwnership;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageRegistry;
import dev.agentpkg.registry.state.PackageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Answers "where did this come from, who put it there, what depends on it" for a package id, a path
 * under the root, or a signing key id, from the registry, the store and the ledger together. The
 * answer is a JSON document ({@code agentpkg/trace/v1}); the CLI renders it for people.
 */
public final class Tracer {
  private static final Pattern KEY = Pattern.compile("^[0-9a-f]{8,64}$");

  private final AppContext ctx;
  private final Root root;

  public Tracer(AppContext ctx, Root root) {
    this.ctx = ctx;
    this.root = root;
  }

  public ObjectNode explain(String subject, boolean withFileStatus) {
    if (PackageId.isValid(subject)) {
      return explainPackage(PackageId.of(subject), withFileStatus);
    }
    if (KEY.matcher(subject).matches()) {
      return explainKey(subject);
    }
    return explainPath(subject);
  }

  private ObjectNode doc(String kind) {
    ObjectNode d = Json.object();
    d.put("schema", "agentpkg/trace/v1");
    d.put("kind", kind);
    return d;
  }

  private ObjectNode explainPackage(PackageId id, boolean withFileStatus) {
    List<PackageRecord> all = new PackageRegistry(root).list();
    Optional<PackageRecord> record = all.stream().filter(r -> r.id().equals(id)).findFirst();
    PackageStore store = new PackageStore(root);
    Optional<Path> archive =
        record.map(r -> store.archive(id, r.version())).or(() -> store.newest(id));
    if (record.isEmpty() && archive.isEmpty()) {
      throw new NotFoundException("package " + id + " is neither installed nor in packages_store/");
    }
    Optional<Manifest> manifest =
        archive
            .filter(Files::isRegularFile)
            .map(a -> new ArchiveVerifier(ArchiveLimits.defaults()).readManifest(a));
    ObjectNode d = doc("package");
    d.put("id", id.value());
    d.put("installed", record.isPresent());
    ObjectNode identity = d.putObject("identity");
    identity.put("id", id.value());
    manifest.ifPresent(
        m -> {
          identity.put("name", m.descriptor().name());
          identity.put("version", m.version().toString());
          identity.put("tier", m.tier().name());
          identity.put("spec_id", m.descriptor().specId());
          identity.put("framework_id", m.descriptor().frameworkId());
          identity.put("description", m.descriptor().description());
        });
    record.ifPresent(
        r -> {
          identity.put("name", r.name());
          identity.put("version", r.version().toString());
          identity.put("tier", r.tier().name());
          identity.put("spec_id", r.specId());
          identity.put("framework_id", r.frameworkId());
        });

    ObjectNode a = d.putObject("archive");
    a.put("path", archive.map(p -> root.dir().relativize(p).toString()).orElse(null));
    boolean present = archive.map(Files::isRegularFile).orElse(false);
    a.put("present", present);
    String actual = present ? ArchiveVerifier.sha256Of(archive.get()) : null;
    a.put("sha256", actual);
    record.ifPresent(r -> a.put("sha256_installed", r.archiveSha256()));
    a.put("matches_installed", record.map(r -> r.archiveSha256().equals(actual)).orElse(false));

    record.ifPresent(r -> d.set("signer", signer(r.signerKeyId(), r)));
    List<LedgerEntry> history = history(e -> e.pkg() != null && e.pkg().id().equals(id.value()));
    record.ifPresent(
        r -> {
          ObjectNode by = d.putObject("installed_by");
          by.put("token_id", r.installedBy());
          by.put("at", r.installedAt().toString());
          history.stream()
              .filter(e -> e.event().equals("INSTALLED") && e.actor() != null)
              .reduce((x, y) -> y)
              .ifPresent(e -> by.put("role", e.actor().role()));
        });

    List<InstalledPackage> installed =
        all.stream()
            .map(r -> new InstalledPackage(r.id(), r.version(), r.tier(), r.dependencies()))
            .toList();
    if (record.isPresent()) {
      d.set("dependencies", tree(DependencyChecker.tree(id, installed)).path("children"));
    } else {
      ArrayNode deps = d.putArray("dependencies");
      manifest.ifPresent(
          m ->
              m.dependencies()
                  .forEach(
                      x ->
                          deps.addObject()
                              .put("id", x.id().value())
                              .put("wanted", x.range().toString())));
    }
    ArrayNode dependents = d.putArray("dependents");
    DependencyChecker.dependents(id, installed).forEach(p -> dependents.add(p.value()));
    manifest.ifPresent(m -> d.set("capabilities", capabilities(m.capabilities())));
    manifest.ifPresent(
        m -> {
          if (m.runtime() != null) {
            ObjectNode rt = d.putObject("runtime");
            rt.put("entrypoint", m.runtime().entrypoint());
            ArrayNode cp = rt.putArray("classpath");
            m.runtime().classpath().forEach(cp::add);
          }
        });

    ObjectNode files = d.putObject("files");
    List<OwnedFile> owned = record.isPresent() ? new FileOwnership(root).files(id) : List.of();
    files.put(
        "count", record.isPresent() ? owned.size() : manifest.map(m -> m.files().size()).orElse(0));
    if (withFileStatus) {
      ArrayNode list = files.putArray("list");
      for (OwnedFile f : owned) {
        ObjectNode n = list.addObject();
        n.put("path", f.path());
        n.put("sha256", f.sha256());
        n.put("mode", f.mode());
        n.put("status", status(f));
      }
    }
    ArrayNode h = d.putArray("history");
    history.forEach(e -> h.add(Json.parse(e.toJsonLine(), "ledger")));
    return d;
  }

  private ObjectNode explainPath(String given) {
    String rel = rootRelative(given);
    Map<String, PackageId> owners = new FileOwnership(root).owners(List.of(rel));
    PackageId owner = owners.get(rel);
    Path live = root.dir().resolve(rel);
    boolean exists = Files.exists(live, LinkOption.NOFOLLOW_LINKS);
    if (owner == null) {
      throw new NotFoundException(
          rel
              + (exists
                  ? " exists but is not owned by any package"
                  : " is not owned by any package and does not exist"));
    }
    ObjectNode d = doc("path");
    d.put("path", rel);
    d.put("package", owner.value());
    new PackageRegistry(root).find(owner).ifPresent(r -> d.put("version", r.version().toString()));
    OwnedFile f =
        new FileOwnership(root)
            .files(owner).stream().filter(x -> x.path().equals(rel)).findFirst().orElse(null);
    if (f != null) {
      ObjectNode recorded = d.putObject("recorded");
      recorded.put("sha256", f.sha256());
      recorded.put("size", f.size());
      recorded.put("mode", f.mode());
      ObjectNode current = d.putObject("current");
      current.put("exists", exists);
      if (exists && Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS)) {
        current.put("sha256", Sha256.hexOfFile(live));
        current.put("mode", modeOf(live));
      }
      d.put("status", status(f));
    }
    return d;
  }

  private ObjectNode explainKey(String prefix) {
    TrustStore store = new TrustStore(root, ctx.clock());
    List<TrustedKey> matches =
        store.list().stream().filter(k -> k.keyId().startsWith(prefix)).toList();
    List<PackageRecord> signed =
        new PackageRegistry(root)
            .list().stream().filter(r -> r.signerKeyId().startsWith(prefix)).toList();
    if (matches.size() > 1) {
      throw new UsageException("key id prefix " + prefix + " is ambiguous");
    }
    if (matches.isEmpty() && signed.isEmpty()) {
      throw new NotFoundException(
          "key " + prefix + " is not in the trust store and signed nothing installed");
    }
    String keyId = matches.isEmpty() ? signed.get(0).signerKeyId() : matches.get(0).keyId();
    ObjectNode d = doc("key");
    d.put("key_id", keyId);
    Optional<TrustedKey> k = matches.stream().findFirst();
    d.put("owner", k.map(TrustedKey::owner).orElse(null));
    ArrayNode tiers = d.putArray("tiers");
    k.ifPresent(x -> x.tiers().stream().sorted().forEach(t -> tiers.add(t.name())));
    d.put("status", k.map(x -> x.isActive() ? "trusted" : "revoked").orElse("not in trust store"));
    d.put("added_at", k.map(x -> x.addedAt().toString()).orElse(null));
    d.put("added_by", k.map(TrustedKey::addedBy).orElse(null));
    d.put(
        "revoked_at",
        k.filter(x -> x.revokedAt() != null).map(x -> x.revokedAt().toString()).orElse(null));
    ArrayNode installed = d.putArray("installed");
    signed.stream()
        .filter(r -> r.signerKeyId().equals(keyId))
        .forEach(
            r ->
                installed
                    .addObject()
                    .put("id", r.id().value())
                    .put("version", r.version().toString()));
    ArrayNode h = d.putArray("history");
    history(
            e ->
                keyId.equals(e.details().path("key_id").asText())
                    || keyId.equals(e.details().path("signer_keyid").asText()))
        .forEach(e -> h.add(Json.parse(e.toJsonLine(), "ledger")));
    return d;
  }

  private ObjectNode signer(String keyId, PackageRecord r) {
    ObjectNode s = Json.object();
    s.put("key_id", keyId);
    Optional<TrustedKey> k = new TrustStore(root, ctx.clock()).find(keyId);
    s.put("owner", k.map(TrustedKey::owner).orElse(null));
    s.put(
        "status",
        k.map(
                x ->
                    !x.isActive()
                        ? "revoked"
                        : x.mayServe(r.tier()) ? "trusted" : "not-trusted-for-tier")
            .orElse("not in trust store"));
    return s;
  }

  private static ObjectNode tree(DependencyNode node) {
    ObjectNode n = Json.object();
    n.put("id", node.id().value());
    n.put("wanted", node.wanted() == null ? null : node.wanted().toString());
    n.put("version", node.version() == null ? null : node.version().toString());
    n.put("satisfied", node.satisfied());
    n.put("cycle", node.cycle());
    ArrayNode children = n.putArray("children");
    node.children().forEach(c -> children.add(tree(c)));
    return n;
  }

  private static ObjectNode capabilities(Capabilities c) {
    ObjectNode n = Json.object();
    c.read().forEach(n.putArray("read")::add);
    c.write().forEach(n.putArray("write")::add);
    c.execute().forEach(n.putArray("execute")::add);
    c.forbidden().forEach(n.putArray("forbidden")::add);
    return n;
  }

  private String status(OwnedFile f) {
    Path live = root.dir().resolve(f.path());
    if (!Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
      return "missing";
    }
    if (!Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS)
        || !Sha256.hexOfFile(live).equals(f.sha256())) {
      return "modified";
    }
    String mode = modeOf(live);
    return mode == null || mode.equals(f.mode()) ? "ok" : "mode-changed";
  }

  private static String modeOf(Path p) {
    try {
      return Rehash.mode(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    } catch (UnsupportedOperationException | IOException e) {
      return null;
    }
  }

  private String rootRelative(String given) {
    Path p = ctx.path(given);
    Path dir = root.dir().toAbsolutePath().normalize();
    if (p.startsWith(dir) && !p.equals(dir)) {
      return PathRules.relative(dir, p);
    }
    return given.replace('\\', '/');
  }

  private List<LedgerEntry> history(java.util.function.Predicate<LedgerEntry> wanted) {
    List<LedgerEntry> out = new ArrayList<>();
    for (String line : new LedgerFile(root.ledger(), ctx.clock()).readLines()) {
      if (!line.isEmpty()) {
        LedgerEntry e = LedgerEntry.parse(line);
        if (wanted.test(e)) {
          out.add(e);
        }
      }
    }
    return out;
  }
}
