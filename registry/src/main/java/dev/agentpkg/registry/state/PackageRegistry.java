package dev.agentpkg.registry.state;

import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.Instants;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.registry.CsvTable;
import dev.agentpkg.registry.RegistryColumns;
import dev.agentpkg.registry.Root;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code registries/packages_registry.csv}: one row per installed package, sorted by id. Read as
 * untrusted input: a bad cell fails naming file and line, and nothing is written. Callers hold the
 * root lock.
 */
public final class PackageRegistry {
  private final CsvTable table;
  private final StampedParse<List<PackageRecord>> parsed = new StampedParse<>();

  public PackageRegistry(Root root) {
    this.table = new CsvTable(root.packagesRegistry(), RegistryColumns.PACKAGES);
  }

  /** Every row, sorted by id (a list the caller may change). */
  public List<PackageRecord> list() {
    return new ArrayList<>(parsed.get(table.file(), () -> List.copyOf(parse())));
  }

  private List<PackageRecord> parse() {
    List<PackageRecord> out = new ArrayList<>();
    Map<PackageId, Long> seen = new HashMap<>();
    for (CsvTable.Row row : table.readRows()) {
      PackageRecord r = parse(row);
      Long first = seen.putIfAbsent(r.id(), row.line());
      if (first != null) {
        throw table.invalid(
            row, "package " + r.id() + " is listed twice (first at line " + first + ")");
      }
      out.add(r);
    }
    out.sort(Comparator.comparing(PackageRecord::id));
    return out;
  }

  public Optional<PackageRecord> find(PackageId id) {
    return list().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** Replaces the whole table atomically, sorted by id; duplicate ids are refused. */
  public void write(List<PackageRecord> records) {
    Set<PackageId> ids = new HashSet<>();
    for (PackageRecord r : records) {
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("package " + r.id() + " is listed twice");
      }
    }
    List<PackageRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparing(PackageRecord::id));
    List<Map<String, String>> rows = new ArrayList<>(sorted.size());
    for (PackageRecord r : sorted) {
      rows.add(render(r));
    }
    table.write(rows);
  }

  /** Adds the row or replaces the row with the same id. */
  public void upsert(PackageRecord record) {
    List<PackageRecord> records = list();
    records.removeIf(r -> r.id().equals(record.id()));
    records.add(record);
    write(records);
  }

  /** Removes the row with this id; nothing happens (and nothing is written) when there is none. */
  public void remove(PackageId id) {
    List<PackageRecord> records = list();
    if (records.removeIf(r -> r.id().equals(id))) {
      write(records);
    }
  }

  private static Map<String, String> render(PackageRecord r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("package_id", r.id().value());
    m.put("name", r.name());
    m.put("version", r.version().toString());
    m.put("tier", r.tier().name());
    m.put("spec_id", r.specId());
    m.put("framework_id", r.frameworkId());
    m.put("status", r.status());
    m.put("archive_sha256", r.archiveSha256());
    m.put("manifest_sha256", r.manifestSha256());
    m.put("signer_keyid", r.signerKeyId());
    m.put("dependencies", PackageRecord.formatDependencies(r.dependencies()));
    m.put("installed_at", Instants.format(r.installedAt()));
    m.put("installed_by", r.installedBy());
    return m;
  }

  private PackageRecord parse(CsvTable.Row row) {
    String idText = row.get("package_id");
    if (!PackageId.isValid(idText)) {
      throw table.invalid(row, "package_id '" + idText + "' is not a package id");
    }
    PackageId id = PackageId.of(idText);
    SemVer version;
    try {
      version = SemVer.parse(row.get("version"));
    } catch (AgentpkgException e) {
      throw table.invalid(row, "version: " + e.getMessage());
    }
    Tier tier;
    try {
      tier = Tier.valueOf(row.get("tier"));
    } catch (IllegalArgumentException e) {
      throw table.invalid(row, "tier '" + row.get("tier") + "' is not one of G0, T0, T1, T2, T3");
    }
    Instant installedAt;
    try {
      installedAt = Instants.parse(row.get("installed_at"));
    } catch (DateTimeParseException e) {
      throw table.invalid(
          row, "installed_at '" + row.get("installed_at") + "' is not an ISO-8601 UTC instant");
    }
    try {
      return new PackageRecord(
          id,
          row.get("name"),
          version,
          tier,
          row.get("spec_id"),
          row.get("framework_id"),
          row.get("status"),
          row.get("archive_sha256"),
          row.get("manifest_sha256"),
          row.get("signer_keyid"),
          PackageRecord.parseDependencies(row.get("dependencies")),
          installedAt,
          row.get("installed_by"));
    } catch (IllegalArgumentException e) {
      throw table.invalid(row, e.getMessage());
    }
  }
}
