package dev.agentpkg.integrity.pack;

import dev.agentpkg.integrity.manifest.Manifest;
import java.nio.file.Path;
import java.util.Optional;

/** What {@link PackageBuilder} wrote. {@code signature} is empty for an unsigned archive. */
public record PackResult(
    Manifest manifest,
    Path archive,
    Path checksumFile,
    Optional<Path> signature,
    String archiveSha256,
    String manifestSha256,
    Optional<String> signerKeyId,
    long payloadBytes,
    long archiveBytes) {}
