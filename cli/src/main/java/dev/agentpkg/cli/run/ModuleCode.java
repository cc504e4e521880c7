package dev.agentpkg.cli.run;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.registry.state.OwnedFile;
import dev.agentpkg.registry.state.PackageCode;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.runtime.scan.CodeJar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jars a run loads, copied into the run's private directory while their SHA-256 is checked
 * against what the registry recorded at install. The class loader then reads only the copies, so
 * what runs is exactly what was verified and scanned (a later install cannot swap a jar in between)
 * and no file under the root stays open while the module runs.
 */
record ModuleCode(List<CodeJar> own, List<CodeJar> dependencies) {
  ModuleCode {
    own = List.copyOf(own);
    dependencies = List.copyOf(dependencies);
  }

  /** Own jars first (the runtime classpath, in order), then every dependency package's jars. */
  List<Path> classpath() {
    List<Path> out = new ArrayList<>();
    own.forEach(j -> out.add(j.file()));
    dependencies.forEach(j -> out.add(j.file()));
    return out;
  }

  static ModuleCode copy(Path rootDir, InstalledModule module, Path libDir) {
    if (module.manifest().runtime() == null) {
      throw new UsageException(
          module.id()
              + " has no runtime section: it is a library other modules load, not something to"
              + " run");
    }
    List<CodeJar> own = new ArrayList<>();
    int n = 0;
    for (String path : module.manifest().runtime().classpath()) {
      OwnedFile f =
          find(module.files(), path)
              .orElseThrow(
                  () ->
                      new VerificationException(
                          module.id()
                              + ": runtime.classpath names "
                              + path
                              + ", which the package does not own"));
      own.add(copyVerified(rootDir, f, libDir, n++));
    }
    List<CodeJar> deps = new ArrayList<>();
    for (Map.Entry<PackageRecord, List<OwnedFile>> dep : module.dependencies().entrySet()) {
      for (OwnedFile f : dep.getValue()) {
        if (PackageCode.isJar(f.path())) {
          deps.add(copyVerified(rootDir, f, libDir, n++));
        }
      }
    }
    return new ModuleCode(own, deps);
  }

  private static Optional<OwnedFile> find(List<OwnedFile> files, String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst();
  }

  private static CodeJar copyVerified(Path rootDir, OwnedFile f, Path libDir, int index) {
    Path source = rootDir.resolve(f.path());
    Path copy = libDir.resolve(index + "-" + source.getFileName());
    MessageDigest md = Sha256.newDigest();
    try (InputStream in = Files.newInputStream(source, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        OutputStream out =
            new DigestOutputStream(
                Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW), md)) {
      in.transferTo(out);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new VerificationException(
          f.path() + " is missing (installed with sha256 " + f.sha256() + ")", e);
    } catch (IOException e) {
      throw new StorageException("cannot copy " + f.path() + ": " + e.getMessage(), e);
    }
    String actual = Sha256.hex(md);
    if (!actual.equals(f.sha256())) {
      throw new VerificationException(
          f.path()
              + " differs from what was installed (sha256 "
              + actual
              + ", installed "
              + f.sha256()
              + "); run `agentpkg integrity check`");
    }
    return new CodeJar(f.path(), copy);
  }
}
