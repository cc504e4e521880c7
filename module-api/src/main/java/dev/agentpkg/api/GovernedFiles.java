package dev.agentpkg.api;

import java.util.List;

/**
 * File access inside the root, the only file access a module has. Paths are root-relative with
 * {@code /} separators; the host normalises each one ({@code data/../x} is {@code x}), resolves
 * symbolic links, and checks the result against the manifest's capabilities before it touches
 * anything:
 *
 * <ul>
 *   <li>{@link #read}, {@link #readLines}, {@link #exists} and {@link #list} need a {@code read}
 *       pattern ({@code list} of a directory also accepts a pattern that matches below it);
 *   <li>{@link #write} and {@link #delete} need a {@code write} pattern, and never reach the
 *       reserved directories ({@code registries/}, {@code ledger/}, {@code packages_store/}, {@code
 *       .agentpkg/}) or a file any installed package owns;
 *   <li>{@link #exec} needs an {@code execute} pattern;
 *   <li>a {@code forbidden} pattern matching the path or a parent directory always wins.
 * </ul>
 *
 * A refused call throws {@link CapabilityDeniedException} and is recorded as a {@code
 * CAPABILITY_DENIED} ledger event; any other failure (no such file, not a directory, too large)
 * throws a {@link RuntimeException} whose message names the path.
 */
public interface GovernedFiles {
  /** The whole file (at most 64 MiB). */
  byte[] read(String path);

  /** Lines of a UTF-8 text file, without line terminators. */
  List<String> readLines(String path);

  /** Creates or replaces the file (and any missing parent directories) with {@code data}. */
  void write(String path, byte[] data);

  /** Names of the entries of a directory, sorted. */
  List<String> list(String directory);

  /** Whether the path exists (a symbolic link counts as itself, not as its target). */
  boolean exists(String path);

  /** Deletes a file or an empty directory; nothing happens when it does not exist. */
  void delete(String path);

  /**
   * Runs a program the capabilities allow to execute, with an empty environment, in the run's
   * private working directory, for at most 300 s; its output goes to the host's stderr.
   *
   * @return its exit status
   */
  int exec(String path, List<String> args);
}
