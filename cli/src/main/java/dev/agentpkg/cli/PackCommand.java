package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import dev.agentpkg.integrity.pack.PackRequest;
import dev.agentpkg.integrity.pack.PackResult;
import dev.agentpkg.integrity.pack.PackageBuilder;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "pack",
    mixinStandardHelpOptions = true,
    description = {
      "Build a deterministic <ID>-<VERSION>.tar.gz with .sha256 and (with --key) .sig sidecars.",
      "Without --out it goes into the root's packages_store/ (maintainer token; admin for G0/T0)",
      "and is recorded in the ledger. SOURCE_DATE_EPOCH sets the entries' mtime (default 0)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg pack --src examples/runtime/target/package --key signer.pem --token-file admin.token",
      "  agentpkg pack --src ./my-module --key signer.pem --out /tmp/my-module.tar.gz"
    })
final class PackCommand implements Callable<Integer> {
  private final CliEnv env;

  @Option(
      names = "--src",
      required = true,
      paramLabel = "DIR",
      description = "Folder with package.json and the payload.")
  String src;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Expected package id; must match package.json.")
  String id;

  @Option(names = "--key", paramLabel = "FILE", description = "Ed25519 private key to sign with.")
  String key;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the archive here instead of the root's store.")
  String out;

  @Mixin TokenOptions token;

  PackCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, PackCommand cmd) {
      Path src = env.ctx().path(cmd.src);
      Optional<Ed25519PrivateKey> key =
          Optional.ofNullable(cmd.key).map(k -> KeyFiles.readPrivate(env.ctx().path(k)));
      long mtime = sourceDateEpoch(env);
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      Optional<Path> outFile = Optional.ofNullable(cmd.out).map(env.ctx()::path);
      Optional<Root> storeRoot =
          outFile.isEmpty() ? Optional.of(env.root()) : rootOwning(env, outFile.get());

      PackResult result;
      if (storeRoot.isEmpty()) {
        Path target = outFile.get();
        Path dir = Files.isDirectory(target) ? target : target.toAbsolutePath().getParent();
        Optional<Path> file = Files.isDirectory(target) ? Optional.empty() : outFile;
        result =
            PackageBuilder.pack(
                new PackRequest(src, Optional.ofNullable(cmd.id), dir, file, key, mtime, threads));
      } else {
        Root root = storeRoot.get();
        PackageDescriptor descriptor = readDescriptor(src);
        Role role = Role.requiredToManage(descriptor.tier());
        result =
            new Governance(env.ctx(), root)
                .mutate(
                    new MutationRequest(
                        "pack " + descriptor.id(),
                        cmd.token.tokenText(env),
                        role,
                        "packing a " + descriptor.tier() + " package into the store",
                        cmd.token.lockTimeout()),
                    session -> {
                      PackResult r =
                          PackageBuilder.pack(
                              new PackRequest(
                                  src,
                                  Optional.ofNullable(cmd.id),
                                  root.store(),
                                  outFile,
                                  key,
                                  mtime,
                                  threads));
                      ObjectNode details = Json.object();
                      details.put(
                          "archive",
                          root.dir().relativize(r.archive().toAbsolutePath()).toString());
                      details.put("archive_sha256", r.archiveSha256());
                      details.put("manifest_sha256", r.manifestSha256());
                      details.put("signer_keyid", r.signerKeyId().orElse(null));
                      details.put("files", r.manifest().files().size());
                      session.record(
                          "PACKED",
                          Optional.of(
                              new LedgerPackage(
                                  r.manifest().id().value(), r.manifest().version().toString())),
                          details);
                      return r;
                    });
      }
      if (result.signature().isEmpty()) {
        env.output()
            .note(
                "warning: "
                    + result.archive().getFileName()
                    + " is unsigned; install will refuse it until `agentpkg sign` adds a signature");
      }
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/pack/v1");
      doc.put("id", result.manifest().id().value());
      doc.put("version", result.manifest().version().toString());
      doc.put("tier", result.manifest().tier().name());
      doc.put("archive", result.archive().toString());
      doc.put("archive_sha256", result.archiveSha256());
      doc.put("manifest_sha256", result.manifestSha256());
      doc.put("signature", result.signature().map(Path::toString).orElse(null));
      doc.put("signer_key_id", result.signerKeyId().orElse(null));
      doc.put("files", result.manifest().files().size());
      doc.put("payload_bytes", result.payloadBytes());
      doc.put("archive_bytes", result.archiveBytes());
      out.result(
          doc,
          "Packed "
              + result.manifest().id()
              + " "
              + result.manifest().version()
              + " ("
              + result.manifest().tier()
              + "): "
              + result.manifest().files().size()
              + " files, "
              + result.payloadBytes()
              + " bytes -> "
              + result.archive(),
          "  sha256 " + result.archiveSha256(),
          result.signerKeyId().map(k -> "  signed by " + k).orElse("  unsigned"));
      return 0;
    }

    /**
     * A root whose store would receive the archive; writing there needs a token like any store
     * write.
     */
    private static Optional<Root> rootOwning(CliEnv env, Path outFile) {
      Root root;
      try {
        root = env.root();
      } catch (NotFoundException noRoot) {
        return Optional.empty();
      }
      Path store = root.store().toAbsolutePath().normalize();
      return outFile.toAbsolutePath().normalize().startsWith(store)
          ? Optional.of(root)
          : Optional.empty();
    }

    private static PackageDescriptor readDescriptor(Path src) {
      Path file = src.resolve("package.json");
      try {
        return PackageDescriptor.parse(Files.readAllBytes(file), file.toString());
      } catch (java.nio.file.NoSuchFileException e) {
        throw new NotFoundException("no package.json in " + src);
      } catch (IOException e) {
        throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    private static long sourceDateEpoch(CliEnv env) {
      Optional<String> value = env.ctx().envValue("SOURCE_DATE_EPOCH");
      if (value.isEmpty()) {
        return 0;
      }
      try {
        long epoch = Long.parseLong(value.get().trim());
        if (epoch < 0) {
          throw new NumberFormatException();
        }
        return epoch;
      } catch (NumberFormatException e) {
        throw new UsageException(
            "SOURCE_DATE_EPOCH must be a non-negative integer, got '" + value.get() + "'");
      }
    }
  }
}
