package dev.agentpkg.integrity.archive;

import java.util.Map;

/**
 * Called once with manifest.json's bytes; returns exactly what the payload must be, keyed by path.
 * It may throw (an {@code AgentpkgException}) to abort the read.
 */
@FunctionalInterface
public interface ManifestHandler {
  Map<String, ExpectedFile> accept(byte[] manifestBytes);
}
