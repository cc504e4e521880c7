package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AtomicFiles;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.crypto.DsseEnvelope;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.Manifest;
import dev.agentpkg.integrity.verify.ArchiveVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Add a signature to an archive's .sig envelope (creating it if absent).",
      "The archive's contents are checked against its manifest before it is vouched for."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg sign packages_store/PKG-T1-RUNTIME-001-0.1.0.tar.gz --key second-signer.pem"
    })
final class SignCommand implements Callable<Integer> {
  private final CliEnv env;

  @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The .tar.gz to sign.")
  String archive;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "FILE",
      description = "Ed25519 private key.")
  String key;

  SignCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, SignCommand cmd) {
      Path archive = env.ctx().path(cmd.archive);
      Ed25519PrivateKey key = KeyFiles.readPrivate(env.ctx().path(cmd.key));
      String archiveSha256 = ArchiveVerifier.sha256Of(archive);
      Manifest manifest = new ArchiveVerifier(ArchiveLimits.defaults()).checkContents(archive);
      Statement statement =
          new Statement(
              archiveSha256,
              manifest.id().value(),
              Sha256.hex(manifest.canonicalBytes()),
              manifest.tier().name(),
              manifest.version().toString());
      Path sigFile = archive.resolveSibling(archive.getFileName() + ".sig");
      Optional<DsseEnvelope> existing = readExisting(sigFile);
      DsseEnvelope envelope;
      if (existing.isPresent()) {
        Statement signed = Statement.parse(existing.get().payload());
        if (!signed.equals(statement)) {
          throw new VerificationException(
              sigFile.getFileName()
                  + " signs a different statement (archive sha256 "
                  + signed.archiveSha256()
                  + "); refusing to add a signature beside it");
        }
        envelope = existing.get().withSignature(key);
      } else {
        envelope = DsseEnvelope.sign(statement.canonicalBytes(), key);
      }
      try {
        Path tmp =
            Files.createTempFile(
                sigFile.toAbsolutePath().getParent(), "." + sigFile.getFileName() + ".", ".tmp");
        try {
          Files.write(tmp, envelope.toJsonBytes());
          AtomicFiles.moveIntoPlace(tmp, sigFile);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new StorageException("cannot write " + sigFile + ": " + e.getMessage(), e);
      }
      String keyId = key.publicKey().keyId();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/sign/v1");
      doc.put("archive", archive.toString());
      doc.put("signature", sigFile.toString());
      doc.put("key_id", keyId);
      doc.put("signatures", envelope.signatures().size());
      out.result(
          doc,
          "Signed "
              + archive.getFileName()
              + " with key "
              + keyId
              + " ("
              + envelope.signatures().size()
              + " signature(s))");
      return 0;
    }

    private static Optional<DsseEnvelope> readExisting(Path sigFile) {
      try {
        return Optional.of(DsseEnvelope.parse(Files.readAllBytes(sigFile)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new StorageException("cannot read " + sigFile + ": " + e.getMessage(), e);
      }
    }
  }
}
