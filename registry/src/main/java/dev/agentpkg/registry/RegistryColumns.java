package dev.agentpkg.registry;

import java.util.List;

/** The header rows of the registry CSV files, in their exact order. */
public final class RegistryColumns {
  /** {@code registries/packages_registry.csv}: one row per installed package. */
  public static final List<String> PACKAGES =
      List.of(
          "package_id",
          "name",
          "version",
          "tier",
          "spec_id",
          "framework_id",
          "status",
          "archive_sha256",
          "manifest_sha256",
          "signer_keyid",
          "dependencies",
          "installed_at",
          "installed_by");

  public static final List<String> TRUSTED_KEYS =
      List.of(
          "key_id",
          "owner",
          "tiers",
          "public_key_pem",
          "added_at",
          "added_by",
          "revoked_at",
          "revoked_by");

  public static final List<String> TOKENS =
      List.of(
          "token_id", "role", "created_at", "expires_at", "revoked_at", "note", "secret_sha256");

  public static final List<String> LEDGER_HEAD = List.of("seq", "hash");

  private RegistryColumns() {}
}
