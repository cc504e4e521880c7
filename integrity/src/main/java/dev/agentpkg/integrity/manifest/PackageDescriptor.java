package dev.agentpkg.integrity.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a package's {@code package.json} holds: the manifest without {@code schema} and {@code
 * files}. Dependencies are kept sorted by id so that the same declaration always serialises to the
 * same bytes.
 */
public record PackageDescriptor(
    PackageId id,
    String name,
    SemVer version,
    Tier tier,
    String specId,
    String frameworkId,
    String description,
    List<Dependency> dependencies,
    Capabilities capabilities,
    RuntimeSpec runtime) {
  static final Pattern SPEC_ID = Pattern.compile("^SPEC-[A-Z0-9-]+$");
  static final Pattern FRAMEWORK_ID = Pattern.compile("^FMWK-[A-Z0-9-]+$");
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 4000;
  static final int MAX_ID_LENGTH = 128;
  static final int MAX_DEPENDENCIES = 256;

  public PackageDescriptor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(tier, "tier");
    if (id.tier() != tier) {
      throw new UsageException("id " + id + " says tier " + id.tier() + " but tier is " + tier);
    }
    if (name == null || name.isBlank()) {
      throw new UsageException("name is empty");
    }
    if (name.length() > MAX_NAME) {
      throw new UsageException(
          "name is " + name.length() + " characters (at most " + MAX_NAME + ")");
    }
    if (hasControl(name, false)) {
      throw new UsageException("name " + Messages.quote(name) + " contains control characters");
    }
    if (specId == null) {
      throw new UsageException("spec_id is missing");
    }
    if (specId.length() > MAX_ID_LENGTH || !SPEC_ID.matcher(specId).matches()) {
      throw new UsageException(
          "spec_id " + Messages.quote(specId) + " is invalid (expected " + SPEC_ID.pattern() + ")");
    }
    if (frameworkId != null
        && (frameworkId.length() > MAX_ID_LENGTH || !FRAMEWORK_ID.matcher(frameworkId).matches())) {
      throw new UsageException(
          "framework_id "
              + Messages.quote(frameworkId)
              + " is invalid (expected "
              + FRAMEWORK_ID.pattern()
              + ")");
    }
    description = description == null ? "" : description;
    if (description.length() > MAX_DESCRIPTION) {
      throw new UsageException(
          "description is "
              + description.length()
              + " characters (at most "
              + MAX_DESCRIPTION
              + ")");
    }
    if (hasControl(description, true)) {
      throw new UsageException(
          "description contains control characters other than newline and tab");
    }
    dependencies = checkedDependencies(id, tier, dependencies);
    capabilities = capabilities == null ? Capabilities.none() : capabilities;
  }

  /** Parses a {@code package.json}; {@code what} names it in error messages. */
  public static PackageDescriptor parse(byte[] json, String what) {
    return ManifestJson.parseDescriptor(json, what);
  }

  /** The manifest of this package with {@code files} sorted into archive order; validates them. */
  public Manifest toManifest(List<FileEntry> files) {
    List<FileEntry> sorted = new ArrayList<>(Objects.requireNonNull(files, "files"));
    sorted.sort(Comparator.comparing(FileEntry::path, PathRules.UTF8_ORDER));
    return new Manifest(this, sorted);
  }

  /** The {@code package.json} form of this descriptor (keys as in SPEC 2.3). */
  public ObjectNode toJson() {
    return ManifestJson.write(this);
  }

  private static List<Dependency> checkedDependencies(
      PackageId id, Tier tier, List<Dependency> deps) {
    if (deps == null || deps.isEmpty()) {
      return List.of();
    }
    if (tier == Tier.G0) {
      throw new UsageException(
          "G0 package may not have dependencies (it depends on " + deps.get(0).id() + ")");
    }
    if (deps.size() > MAX_DEPENDENCIES) {
      throw new UsageException(
          "package has " + deps.size() + " dependencies (at most " + MAX_DEPENDENCIES + ")");
    }
    Set<PackageId> seen = new HashSet<>();
    for (Dependency dep : deps) {
      Objects.requireNonNull(dep, "dependency");
      if (dep.id().equals(id)) {
        throw new UsageException("package " + id + " may not depend on itself");
      }
      if (!seen.add(dep.id())) {
        throw new UsageException("dependency " + dep.id() + " is listed twice");
      }
      Tier depTier = dep.id().tier();
      if (!tier.mayDependOn(depTier)) {
        throw new UsageException(
            tier + " package may not depend on " + depTier + " package " + dep.id());
      }
    }
    List<Dependency> sorted = new ArrayList<>(deps);
    sorted.sort(Comparator.comparing(Dependency::id));
    return List.copyOf(sorted);
  }

  private static boolean hasControl(String s, boolean allowNewlineAndTab) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (allowNewlineAndTab && (c == '\n' || c == '\t')) {
        continue;
      }
      if (Character.getType(c) == Character.CONTROL) {
        return true;
      }
    }
    return false;
  }
}
