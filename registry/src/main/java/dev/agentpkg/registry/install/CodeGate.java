package dev.agentpkg.registry.install;

import dev.agentpkg.core.DeniedException;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageCode;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.StateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Runs the {@link CodeScreen} over a staged package's jars; a package without jars passes. */
final class CodeGate {
  private CodeGate() {}

  static Optional<CodeVerdict> check(
      CodeScreen screen,
      Root root,
      StateStore state,
      List<PackageRecord> installed,
      Manifest m,
      Path stagedPayload) {
    Map<String, Path> own = new TreeMap<>();
    for (FileEntry f : m.files()) {
      if (PackageCode.isJar(f.path())) {
        own.put(f.path(), stagedPayload.resolve(f.path()));
      }
    }
    if (own.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Path> deps = new TreeMap<>();
    for (PackageRecord dep : PackageCode.dependencyClosure(m.dependencies(), installed)) {
      for (OwnedFile f : state.ownership().files(dep.id())) {
        if (PackageCode.isJar(f.path())) {
          deps.put(f.path(), root.dir().resolve(f.path()));
        }
      }
    }
    CodeVerdict verdict = screen.screen(m.id(), own, deps);
    if (!verdict.allowed()) {
      throw new DeniedException(verdict.refusal(m.id().value()));
    }
    return Optional.of(verdict);
  }
}
