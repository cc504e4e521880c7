package dev.agentpkg.integrity.archive;

/** What a successful read saw: the manifest as stored, and the payload files and bytes counted. */
public record ArchiveReadResult(byte[] manifestBytes, int payloadEntries, long payloadBytes) {}
