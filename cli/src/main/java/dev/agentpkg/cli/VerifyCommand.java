package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.crypto.Ed25519PublicKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.integrity.verify.ArchiveVerifier;
import dev.agentpkg.integrity.verify.VerifiedArchive;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.governance.TrustPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check an archive without installing it: .sha256 sidecar, signature over the statement,",
      "manifest against the statement, every payload file's size and hash, and no unsafe entry.",
      "Says which key signed it and whether that key is trusted here for the package's tier.",
      "Exit 0 trusted and intact, 3 damaged, 6 untrusted or revoked signer."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg verify packages_store/PKG-T1-RUNTIME-001-0.1.0.tar.gz",
      "  agentpkg verify /tmp/x.tar.gz --pubkey signer.pub.pem   # outside any root"
    })
final class VerifyCommand implements Callable<Integer> {
  private final CliEnv env;

  @Parameters(
      index = "0",
      paramLabel = "ARCHIVE",
      description = "The .tar.gz (its .sig and .sha256 beside it).")
  String archive;

  @Option(
      names = "--pubkey",
      paramLabel = "FILE",
      description = "Also accept this public key (trust is still judged by the root, if any).")
  List<String> pubkeys = new ArrayList<>();

  VerifyCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, VerifyCommand cmd) {
      Optional<TrustPolicy> policy = trustStore(env).map(TrustPolicy::new);
      Map<String, Ed25519PublicKey> given = new HashMap<>();
      for (String f : cmd.pubkeys) {
        Ed25519PublicKey k = KeyFiles.readPublic(env.ctx().path(f));
        given.put(k.keyId(), k);
      }
      Function<String, Optional<Ed25519PublicKey>> known =
          id ->
              policy
                  .flatMap(p -> p.knownKeys().apply(id))
                  .or(() -> Optional.ofNullable(given.get(id)));
      VerifiedArchive v =
          new ArchiveVerifier(ArchiveLimits.defaults()).verify(env.ctx().path(cmd.archive), known);
      Tier tier = v.manifest().tier();

      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/verify/v1");
      doc.put("archive", v.archive().toString());
      doc.put("id", v.manifest().id().value());
      doc.put("version", v.manifest().version().toString());
      doc.put("tier", tier.name());
      doc.put("archive_sha256", v.archiveSha256());
      doc.put("manifest_sha256", v.statement().manifestSha256());
      doc.put("files", v.payloadEntries());
      doc.put("payload_bytes", v.payloadBytes());
      doc.put("root", policy.isPresent());
      ArrayNode sigs = doc.putArray("signatures");
      List<String> lines = new ArrayList<>();
      lines.add(
          "Verified "
              + v.manifest().id()
              + " "
              + v.manifest().version()
              + " ("
              + tier
              + "): "
              + v.payloadEntries()
              + " files, "
              + v.payloadBytes()
              + " bytes, sha256 "
              + v.archiveSha256());
      List<TrustPolicy.SignerVerdict> verdicts =
          policy.map(p -> p.judge(v.signerKeyIds(), tier)).orElse(List.of());
      for (String keyId : v.signerKeyIds()) {
        Optional<TrustPolicy.SignerVerdict> verdict =
            verdicts.stream().filter(x -> x.keyId().equals(keyId)).findFirst();
        String status = verdict.map(TrustPolicy.SignerVerdict::status).orElse("given");
        String owner =
            verdict.flatMap(TrustPolicy.SignerVerdict::key).map(k -> k.owner()).orElse(null);
        ObjectNode s = sigs.addObject();
        s.put("key_id", keyId);
        s.put("verified", true);
        s.put("trust", status);
        s.put("owner", owner);
        lines.add(
            "  signed by " + keyId + (owner == null ? "" : " (" + owner + ")") + ": " + status);
      }
      for (String keyId : v.unknownKeyIds()) {
        ObjectNode s = sigs.addObject();
        s.put("key_id", keyId);
        s.put("verified", false);
        s.put("trust", "unknown");
        s.putNull("owner");
        lines.add("  also signed by unknown key " + keyId + " (not checked)");
      }
      boolean anyTrusted = verdicts.stream().anyMatch(TrustPolicy.SignerVerdict::trusted);
      boolean ok = anyTrusted || policy.isEmpty();
      doc.put("trusted", anyTrusted);
      doc.put("ok", ok);
      if (policy.isEmpty()) {
        lines.add(
            "  no root here: the signature verifies with the given key, trust was not judged");
      }
      out.result(doc, lines.toArray(String[]::new));
      if (!ok) {
        env.ctx().err().println("agentpkg: error: " + verdicts.get(0).explain(tier));
        return 6;
      }
      return 0;
    }

    private static Optional<TrustStore> trustStore(CliEnv env) {
      try {
        return Optional.of(new TrustStore(env.root(), env.ctx().clock()));
      } catch (NotFoundException noRoot) {
        if (env.rootFlag().isPresent()) {
          throw noRoot;
        }
        return Optional.empty();
      }
    }
  }
}
