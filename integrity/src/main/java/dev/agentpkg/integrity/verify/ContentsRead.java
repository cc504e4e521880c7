package dev.agentpkg.integrity.verify;

import dev.agentpkg.integrity.manifest.Manifest;

/** The manifest of an archive whose every payload entry matched it. */
public record ContentsRead(Manifest manifest, int payloadEntries, long payloadBytes) {}
