package dev.agentpkg.registry.state;

import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.integrity.manifest.VersionRange;
import dev.agentpkg.registry.RegistryColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One row of {@code registries/packages_registry.csv} (columns exactly {@link
 * RegistryColumns#PACKAGES}, in that order). {@code frameworkId} is "" when the package has none.
 * The dependencies cell is {@code "<id> <range>"} entries joined by ';', e.g. {@code
 * "PKG-T0-EVIDENCE-001 >=0.1.0 <1.0.0;PKG-G0-GENESIS-001 1.0.0"}: ids never contain spaces or
 * semicolons and ranges never contain semicolons, so no quoting is needed inside the cell.
 */
public record PackageRecord(
    PackageId id,
    String name,
    SemVer version,
    Tier tier,
    String specId,
    String frameworkId,
    String status,
    String archiveSha256,
    String manifestSha256,
    String signerKeyId,
    List<Dependency> dependencies,
    Instant installedAt,
    String installedBy) {
  public static final String STATUS_ACTIVE = "active";
  private static final Pattern SPEC_ID = Pattern.compile("^SPEC-[A-Z0-9-]+$");
  private static final Pattern FRAMEWORK_ID = Pattern.compile("^FMWK-[A-Z0-9-]+$");

  public PackageRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(installedAt, "installedAt");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(id + ": name is empty");
    }
    if (tier != id.tier()) {
      throw new IllegalArgumentException(
          id + ": tier " + tier + " does not match the id's tier " + id.tier());
    }
    if (specId == null || !SPEC_ID.matcher(specId).matches()) {
      throw new IllegalArgumentException(
          id + ": spec id '" + specId + "' does not match " + SPEC_ID.pattern());
    }
    frameworkId = frameworkId == null ? "" : frameworkId;
    if (!frameworkId.isEmpty() && !FRAMEWORK_ID.matcher(frameworkId).matches()) {
      throw new IllegalArgumentException(
          id + ": framework id '" + frameworkId + "' does not match " + FRAMEWORK_ID.pattern());
    }
    if (status == null || status.isBlank()) {
      throw new IllegalArgumentException(id + ": status is empty");
    }
    requireHex(id, "archive sha256", archiveSha256);
    requireHex(id, "manifest sha256", manifestSha256);
    requireHex(id, "signer key id", signerKeyId);
    dependencies = List.copyOf(Objects.requireNonNull(dependencies, "dependencies"));
    if (installedBy == null || installedBy.isBlank()) {
      throw new IllegalArgumentException(id + ": installed_by is empty");
    }
  }

  public boolean isActive() {
    return STATUS_ACTIVE.equals(status);
  }

  /** The dependencies cell text, {@code "<id> <range>"} entries joined by ';'; "" for none. */
  public static String formatDependencies(List<Dependency> dependencies) {
    // a loop, not a stream: this runs for every row of the registry on each write, mostly
    // interpreted, and most rows have no dependencies
    StringBuilder b = new StringBuilder();
    for (Dependency d : dependencies) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(d.id().value()).append(' ').append(d.range());
    }
    return b.toString();
  }

  /**
   * Parses a dependencies cell; throws {@link IllegalArgumentException} naming the bad entry (the
   * caller adds file and line).
   */
  static List<Dependency> parseDependencies(String text) {
    List<Dependency> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String entry : text.split(";", -1)) {
      int space = entry.indexOf(' ');
      if (space <= 0 || space == entry.length() - 1) {
        throw new IllegalArgumentException(
            "dependency '" + entry + "' is not '<package id> <version range>'");
      }
      String idText = entry.substring(0, space);
      if (!PackageId.isValid(idText)) {
        throw new IllegalArgumentException(
            "dependency '" + entry + "': '" + idText + "' is not a package id");
      }
      try {
        out.add(
            new Dependency(PackageId.of(idText), VersionRange.parse(entry.substring(space + 1))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("dependency '" + entry + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static void requireHex(PackageId id, String what, String value) {
    if (!Sha256.isHex(value)) {
      throw new IllegalArgumentException(
          id + ": " + what + " '" + value + "' is not 64 lowercase hex digits");
    }
  }
}
