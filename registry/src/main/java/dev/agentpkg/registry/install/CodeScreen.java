package dev.agentpkg.registry.install;

import dev.agentpkg.integrity.manifest.PackageId;
import java.nio.file.Path;
import java.util.Map;

/**
 * Screens a package's code before it is committed. The runtime's bytecode scanner implements it;
 * the registry only knows that a package's jars must pass it (SPEC 6: the scan runs at install and
 * again before loading, and its verdict goes into the ledger).
 */
public interface CodeScreen {
  /**
   * @param ownJars the package's jars: root-relative payload path to the staged file
   * @param dependencyJars jars of the installed packages it depends on, transitively: payload path
   *     to the installed file; their classes are legitimate references
   */
  CodeVerdict screen(PackageId id, Map<String, Path> ownJars, Map<String, Path> dependencyJars);
}
