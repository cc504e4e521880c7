package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.registry.Durations;
import dev.agentpkg.registry.IssuedToken;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.TokenRecord;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Admin tokens: operator < maintainer < admin (all subcommands need admin).",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.Revoke.class,
      TokenCommand.ListTokens.class
    })
final class TokenCommand {
  private TokenCommand() {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token; its secret is printed once and only its SHA-256 is stored.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  agentpkg token create --role maintainer --expires 30d --note 'CI release job'",
        "  agentpkg token create --role operator --json"
      })
  static final class Create implements Callable<Integer> {
    private final CliEnv env;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "operator, maintainer or admin.")
    String role;

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "Lifetime, e.g. 30d, 12h, 90m (default: never).")
    String expires;

    @Option(
        names = "--note",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "What it is for.")
    String note;

    @Mixin TokenOptions token;

    Create(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.create(env, this);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a token by id; it is refused from then on.",
      footerHeading = "%nExamples:%n",
      footer = {"  agentpkg token revoke 7c1e0a9b4d2f"})
  static final class Revoke implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "ID", description = "Token id (the part after agp_).")
    String id;

    @Mixin TokenOptions token;

    Revoke(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.revoke(env, this);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    private final CliEnv env;

    @Mixin TokenOptions token;

    ListTokens(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.list(env, this);
    }
  }

  private static final class Work {
    static int create(CliEnv env, Create cmd) {
      Role role = Role.parse(cmd.role);
      Optional<java.time.Duration> validFor =
          Optional.ofNullable(cmd.expires).map(Durations::parse);
      Governance gov = new Governance(env.ctx(), env.root());
      IssuedToken issued =
          gov.mutate(
              new MutationRequest(
                  "token create",
                  cmd.token.tokenText(env),
                  Role.ADMIN,
                  "creating tokens",
                  cmd.token.lockTimeout()),
              session -> {
                IssuedToken t = gov.tokens().create(role, validFor, cmd.note);
                ObjectNode details = Json.object();
                details.put("token_id", t.tokenId());
                details.put("role", t.role().label());
                details.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
                details.put("note", cmd.note);
                session.record("TOKEN_CREATED", Optional.empty(), details);
                return t;
              });
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/token-create/v1");
      doc.put("token_id", issued.tokenId());
      doc.put("role", issued.role().label());
      doc.put("expires_at", issued.expiresAt() == null ? null : issued.expiresAt().toString());
      doc.put("token", issued.secretText());
      out.result(
          doc,
          "Created "
              + issued.role().label()
              + " token "
              + issued.tokenId()
              + (issued.expiresAt() == null ? "" : " (expires " + issued.expiresAt() + ")"),
          "Token (shown once; store it now):",
          "  " + issued.secretText());
      out.secretUnderQuiet(issued.secretText());
      return 0;
    }

    static int revoke(CliEnv env, Revoke cmd) {
      Governance gov = new Governance(env.ctx(), env.root());
      TokenRecord revoked =
          gov.mutate(
              new MutationRequest(
                  "token revoke",
                  cmd.token.tokenText(env),
                  Role.ADMIN,
                  "revoking tokens",
                  cmd.token.lockTimeout()),
              session -> {
                TokenRecord r = gov.tokens().revoke(cmd.id);
                ObjectNode details = Json.object();
                details.put("token_id", r.tokenId());
                details.put("role", r.role().label());
                session.record("TOKEN_REVOKED", Optional.empty(), details);
                return r;
              });
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/token-revoke/v1");
      doc.set("token", tokenJson(revoked, env.ctx().clock().instant()));
      out.result(doc, "Revoked token " + revoked.tokenId() + " (" + revoked.role().label() + ")");
      return 0;
    }

    static int list(CliEnv env, ListTokens cmd) {
      Governance gov = new Governance(env.ctx(), env.root());
      // listing needs no lock, but it shows who holds power, so it needs an admin like the rest
      gov.tokens().authenticate(cmd.token.tokenText(env), Role.ADMIN, "listing tokens");
      Instant now = env.ctx().clock().instant();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/tokens/v1");
      ArrayNode array = doc.putArray("tokens");
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              Locale.ROOT, "%-14s %-10s %-8s %-20s %s", "ID", "ROLE", "STATUS", "EXPIRES", "NOTE"));
      for (TokenRecord r : gov.tokens().list()) {
        ObjectNode n = tokenJson(r, now);
        array.add(n);
        lines.add(
            String.format(
                Locale.ROOT,
                "%-14s %-10s %-8s %-20s %s",
                r.tokenId(),
                r.role().label(),
                n.get("status").asText(),
                r.expiresAt() == null ? "never" : r.expiresAt().toString(),
                r.note()));
      }
      out.result(doc, lines.toArray(String[]::new));
      return 0;
    }

    static ObjectNode tokenJson(TokenRecord r, Instant now) {
      ObjectNode n = Json.object();
      n.put("token_id", r.tokenId());
      n.put("role", r.role().label());
      String status =
          r.revokedAt() != null
              ? "revoked"
              : r.expiresAt() != null && !now.isBefore(r.expiresAt()) ? "expired" : "active";
      n.put("status", status);
      n.put("created_at", r.createdAt().toString());
      n.put("expires_at", r.expiresAt() == null ? null : r.expiresAt().toString());
      n.put("revoked_at", r.revokedAt() == null ? null : r.revokedAt().toString());
      n.put("note", r.note());
      return n;
    }
  }
}
