package dev.agentpkg.integrity.verify;

import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;

/**
 * An archive whose signature, statement, manifest and every payload hash agree.
 *
 * @param signerKeyIds the key ids whose signatures verified (at least one)
 * @param unknownKeyIds key ids in the envelope for which no public key was known
 */
public record VerifiedArchive(
    Path archive,
    String archiveSha256,
    Statement statement,
    Manifest manifest,
    DsseEnvelope envelope,
    List<String> signerKeyIds,
    List<String> unknownKeyIds,
    int payloadEntries,
    long payloadBytes) {}
