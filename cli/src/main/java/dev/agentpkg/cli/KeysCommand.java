package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.Ed25519PublicKey;
import dev.agentpkg.integrity.crypto.KeyFiles;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.TrustStore;
import dev.agentpkg.registry.TrustedKey;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Signing keys and the root's trust store.",
    subcommands = {
      KeysCommand.Generate.class,
      KeysCommand.Trust.class,
      KeysCommand.Revoke.class,
      KeysCommand.ListKeys.class
    })
final class KeysCommand {
  private KeysCommand() {}

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Create an Ed25519 key pair: FILE (private, PKCS#8 PEM, mode 0600) and",
        "FILE.pub.pem beside it (SubjectPublicKeyInfo PEM, what `keys trust` takes)."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  agentpkg keys generate --out ~/.agentpkg/signer.pem"})
  static final class Generate implements Callable<Integer> {
    private final CliEnv env;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Private key file.")
    String out;

    Generate(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.generate(env, this);
    }
  }

  @Command(
      name = "trust",
      mixinStandardHelpOptions = true,
      description = "Trust a public key to sign packages of the given tiers (admin).",
      footerHeading = "%nExamples:%n",
      footer = {"  agentpkg keys trust signer.pub.pem --tiers T0,T1 --owner 'release team'"})
  static final class Trust implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "FILE", description = "Public (or private) key PEM.")
    String file;

    @Option(
        names = "--tiers",
        required = true,
        paramLabel = "TIERS",
        description = "Comma-separated tiers this key may sign: G0,T0,T1,T2,T3.")
    String tiers;

    @Option(names = "--owner", required = true, paramLabel = "NAME", description = "Who holds it.")
    String owner;

    @Mixin TokenOptions token;

    Trust(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.trust(env, this);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a trusted key (admin); packages it signed then fail integrity check.",
      footerHeading = "%nExamples:%n",
      footer = {"  agentpkg keys revoke 3f5a9c2e"})
  static final class Revoke implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "KEYID", description = "Key id or unique prefix.")
    String keyId;

    @Mixin TokenOptions token;

    Revoke(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.revoke(env, this);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the trust store.")
  static final class ListKeys implements Callable<Integer> {
    private final CliEnv env;

    ListKeys(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.list(env);
    }
  }

  private static final class Work {
    static int generate(CliEnv env, Generate cmd) {
      Path privateFile = env.ctx().path(cmd.out);
      Path publicFile = KeyFiles.publicKeyPathFor(privateFile);
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
      KeyFiles.write(key, privateFile, publicFile);
      String keyId = key.publicKey().keyId();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/key-generate/v1");
      doc.put("key_id", keyId);
      doc.put("private_key", privateFile.toString());
      doc.put("public_key", publicFile.toString());
      out.result(
          doc,
          "Generated Ed25519 key " + keyId,
          "  private key: " + privateFile + " (keep it secret)",
          "  public key:  " + publicFile + " (give this to `agentpkg keys trust`)");
      return 0;
    }

    static int trust(CliEnv env, Trust cmd) {
      Ed25519PublicKey key = KeyFiles.readPublic(env.ctx().path(cmd.file));
      Set<Tier> tiers = Tier.parseList(cmd.tiers);
      Governance gov = new Governance(env.ctx(), env.root());
      TrustedKey trusted =
          gov.mutate(
              new MutationRequest(
                  "keys trust",
                  cmd.token.tokenText(env),
                  Role.ADMIN,
                  "trusting a key",
                  cmd.token.lockTimeout()),
              session -> {
                TrustedKey k =
                    new TrustStore(session.root(), env.ctx().clock())
                        .trust(key.keyId(), key.toPem(), tiers, cmd.owner, session.requireActor());
                ObjectNode details = Json.object();
                details.put("key_id", k.keyId());
                details.put("owner", k.owner());
                details.put("tiers", tierList(k.tiers()));
                session.record("KEY_TRUSTED", Optional.empty(), details);
                return k;
              });
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/key-trust/v1");
      doc.set("key", keyJson(trusted));
      out.result(
          doc,
          "Trusted key "
              + trusted.keyId()
              + " ("
              + trusted.owner()
              + ") for "
              + tierList(trusted.tiers()));
      return 0;
    }

    static int revoke(CliEnv env, Revoke cmd) {
      Governance gov = new Governance(env.ctx(), env.root());
      TrustedKey revoked =
          gov.mutate(
              new MutationRequest(
                  "keys revoke",
                  cmd.token.tokenText(env),
                  Role.ADMIN,
                  "revoking a key",
                  cmd.token.lockTimeout()),
              session -> {
                TrustedKey k =
                    new TrustStore(session.root(), env.ctx().clock())
                        .revoke(cmd.keyId, session.requireActor());
                ObjectNode details = Json.object();
                details.put("key_id", k.keyId());
                details.put("owner", k.owner());
                session.record("KEY_REVOKED", Optional.empty(), details);
                return k;
              });
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/key-revoke/v1");
      doc.set("key", keyJson(revoked));
      out.result(doc, "Revoked key " + revoked.keyId() + " (" + revoked.owner() + ")");
      return 0;
    }

    static int list(CliEnv env) {
      List<TrustedKey> keys = new TrustStore(env.root(), env.ctx().clock()).list();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/keys/v1");
      ArrayNode array = doc.putArray("keys");
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "%-64s  %-8s  %-14s  %s",
              "KEY ID",
              "STATUS",
              "TIERS",
              "OWNER"));
      for (TrustedKey k : keys) {
        array.add(keyJson(k));
        lines.add(
            String.format(
                java.util.Locale.ROOT,
                "%-64s  %-8s  %-14s  %s",
                k.keyId(),
                k.isActive() ? "trusted" : "revoked",
                tierList(k.tiers()),
                k.owner()));
      }
      if (keys.isEmpty()) {
        lines.add(
            "(no trusted keys; add one with `agentpkg keys trust FILE --tiers ... --owner ...`)");
      }
      out.result(doc, lines.toArray(String[]::new));
      return 0;
    }

    static String tierList(Set<Tier> tiers) {
      return String.join(",", tiers.stream().sorted().map(Tier::name).toList());
    }

    static ObjectNode keyJson(TrustedKey k) {
      ObjectNode n = Json.object();
      n.put("key_id", k.keyId());
      n.put("owner", k.owner());
      ArrayNode tiers = n.putArray("tiers");
      k.tiers().stream().sorted().forEach(t -> tiers.add(t.name()));
      n.put("status", k.isActive() ? "trusted" : "revoked");
      n.put("added_at", k.addedAt().toString());
      n.put("added_by", k.addedBy());
      n.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
      return n;
    }
  }
}
