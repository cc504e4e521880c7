package dev.agentpkg.api;

import java.util.List;

/**
 * File access inside the root. Paths are root-relative with {@code /} separators; each call is
 * checked against the manifest's capabilities and throws {@link CapabilityDeniedException} when the
 * operation is not granted.
 */
public interface GovernedFiles {
  byte[] read(String path);

  /** Lines of a UTF-8 text file. */
  List<String> readLines(String path);

  void write(String path, byte[] data);

  /** Names of the entries of a directory, sorted. */
  List<String> list(String directory);

  boolean exists(String path);

  void delete(String path);

  /** Runs a program the capabilities allow to execute; returns its exit status. */
  int exec(String path, List<String> args);
}
