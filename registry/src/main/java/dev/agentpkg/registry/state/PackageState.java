package dev.agentpkg.registry.state;

import dev.agentpkg.integrity.manifest.PackageId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry row and file list of one package (record absent when not installed): what the
 * installer records in its journal and can restore with {@link StateStore#apply}.
 */
public record PackageState(PackageId id, Optional<PackageRecord> record, List<OwnedFile> files) {
  public PackageState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(record, "record");
    files = List.copyOf(Objects.requireNonNull(files, "files"));
    if (record.isPresent() && !record.get().id().equals(id)) {
      throw new IllegalArgumentException(
          "state of " + id + " holds the record of " + record.get().id());
    }
  }

  /** The state of a package that is not installed. */
  public static PackageState absent(PackageId id) {
    return new PackageState(id, Optional.empty(), List.of());
  }

  public static PackageState installed(PackageRecord record, List<OwnedFile> files) {
    return new PackageState(record.id(), Optional.of(record), files);
  }

  public boolean isInstalled() {
    return record.isPresent();
  }
}
