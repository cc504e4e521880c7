package dev.agentpkg.registry;

import dev.agentpkg.integrity.manifest.PackageId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** One governed root; every path agentpkg touches derives from {@link #dir()}. */
public record Root(Path dir) {
  /** Top-level directories no package may ship a file into (SPEC 2.1). */
  public static final List<String> RESERVED_DIRS =
      List.of("registries", "ledger", "packages_store", ".agentpkg");

  public Root {
    Objects.requireNonNull(dir, "dir");
    dir = dir.toAbsolutePath().normalize();
  }

  public Path registries() {
    return dir.resolve("registries");
  }

  public Path packagesRegistry() {
    return registries().resolve("packages_registry.csv");
  }

  /** One file list per package (as dpkg does), so an install costs the same in a full root. */
  public Path fileOwnershipDir() {
    return registries().resolve("files");
  }

  /** {@code registries/files/<ID>.csv}: the files the package owns. */
  public Path fileOwnershipFile(PackageId id) {
    return fileOwnershipDir().resolve(id.value() + ".csv");
  }

  public Path trustedKeys() {
    return registries().resolve("trusted_keys.csv");
  }

  public Path tokens() {
    return registries().resolve("tokens.csv");
  }

  /** The ledger head the registry was last written with, so a truncated ledger is detected. */
  public Path ledgerHead() {
    return registries().resolve("ledger_head.csv");
  }

  public Path ledger() {
    return dir.resolve("ledger").resolve("governance.jsonl");
  }

  public Path store() {
    return dir.resolve("packages_store");
  }

  public Path privateDir() {
    return dir.resolve(".agentpkg");
  }

  public Path lockFile() {
    return privateDir().resolve("lock");
  }

  public Path staging() {
    return privateDir().resolve("staging");
  }

  public Path journal() {
    return privateDir().resolve("journal");
  }
}
