package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.registry.audit.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "Explain where something came from: for a package id its identity, archive, signer, who",
      "installed it and when, dependencies both ways, capabilities, files and ledger history;",
      "for a path its owner and recorded vs current hash (like dpkg -S plus -V); for a key id",
      "what it signed and installed. Unknown or unowned: exit 4. -v lists every file's status."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg trace --explain PKG-T1-RUNTIME-001",
      "  agentpkg trace --explain modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar --json",
      "  agentpkg trace --explain 3f5a9c2e"
    })
final class TraceCommand implements Callable<Integer> {
  private final CliEnv env;

  @Option(
      names = "--explain",
      required = true,
      description = "Required, for the scripts that call trace.py --explain.")
  boolean explain;

  @Parameters(index = "0", paramLabel = "ID|PATH|KEYID", description = "What to explain.")
  String subject;

  TraceCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, TraceCommand cmd) {
      ObjectNode doc =
          new Tracer(env.ctx(), env.root()).explain(cmd.subject, env.verbose() || env.json());
      List<String> lines = new ArrayList<>();
      switch (doc.path("kind").asText()) {
        case "package" -> renderPackage(doc, lines);
        case "path" -> renderPath(doc, lines);
        default -> renderKey(doc, lines);
      }
      env.output().result(doc, lines.toArray(String[]::new));
      return 0;
    }

    static void renderPackage(JsonNode d, List<String> lines) {
      JsonNode id = d.path("identity");
      lines.add(
          id.path("id").asText()
              + " "
              + id.path("version").asText()
              + " ["
              + id.path("tier").asText()
              + "] "
              + id.path("name").asText()
              + (d.path("installed").asBoolean() ? "" : "  (not installed; in the store)"));
      lines.add(
          "  spec "
              + id.path("spec_id").asText()
              + (id.path("framework_id").isTextual()
                  ? ", framework " + id.path("framework_id").asText()
                  : ""));
      JsonNode a = d.path("archive");
      lines.add(
          "  archive "
              + a.path("path").asText("-")
              + (a.path("present").asBoolean()
                  ? (d.path("installed").asBoolean()
                      ? (a.path("matches_installed").asBoolean()
                          ? " (matches what was installed)"
                          : " (DIFFERS from what was installed)")
                      : "")
                  : " (missing)"));
      if (d.has("signer")) {
        JsonNode s = d.path("signer");
        lines.add(
            "  signed by "
                + s.path("key_id").asText()
                + (s.path("owner").isTextual() ? " (" + s.path("owner").asText() + ")" : "")
                + ": "
                + s.path("status").asText()
                + " now");
      }
      if (d.has("installed_by")) {
        JsonNode b = d.path("installed_by");
        lines.add(
            "  installed "
                + b.path("at").asText()
                + " by token "
                + b.path("token_id").asText()
                + (b.has("role") ? " (" + b.path("role").asText() + ")" : ""));
      }
      lines.add("  depends on:" + (d.path("dependencies").isEmpty() ? " nothing" : ""));
      d.path("dependencies").forEach(n -> tree(n, "    ", lines));
      List<String> rdeps = new ArrayList<>();
      d.path("dependents").forEach(n -> rdeps.add(n.asText()));
      lines.add(
          "  needed by: " + (rdeps.isEmpty() ? "nothing installed" : String.join(", ", rdeps)));
      JsonNode c = d.path("capabilities");
      if (!c.isMissingNode()) {
        lines.add(
            "  capabilities: read "
                + c.path("read")
                + ", write "
                + c.path("write")
                + ", execute "
                + c.path("execute")
                + ", forbidden "
                + c.path("forbidden"));
      }
      lines.add("  files: " + d.path("files").path("count").asInt());
      d.path("files")
          .path("list")
          .forEach(
              f -> lines.add("    " + f.path("status").asText() + "  " + f.path("path").asText()));
      lines.add("  history:");
      d.path("history")
          .forEach(
              e ->
                  lines.add(
                      "    "
                          + e.path("seq").asText()
                          + " "
                          + e.path("ts").asText()
                          + " "
                          + e.path("event").asText()
                          + (e.path("actor").isObject()
                              ? " by "
                                  + e.path("actor").path("token_id").asText()
                                  + "/"
                                  + e.path("actor").path("role").asText()
                              : "")));
    }

    static void tree(JsonNode n, String indent, List<String> lines) {
      String state =
          n.path("cycle").asBoolean()
              ? "cycle!"
              : n.path("version").isNull()
                  ? "MISSING"
                  : n.path("version").asText()
                      + (n.path("satisfied").asBoolean() ? "" : " UNSATISFIED");
      lines.add(
          indent + n.path("id").asText() + " " + n.path("wanted").asText("") + " -> " + state);
      n.path("children").forEach(c -> tree(c, indent + "  ", lines));
    }

    static void renderPath(JsonNode d, List<String> lines) {
      lines.add(
          d.path("path").asText()
              + " is owned by "
              + d.path("package").asText()
              + " "
              + d.path("version").asText(""));
      lines.add(
          "  recorded sha256 "
              + d.path("recorded").path("sha256").asText()
              + " mode "
              + d.path("recorded").path("mode").asText());
      JsonNode cur = d.path("current");
      lines.add(
          cur.path("exists").asBoolean()
              ? "  current  sha256 "
                  + cur.path("sha256").asText("-")
                  + " mode "
                  + cur.path("mode").asText("-")
              : "  current  (missing)");
      lines.add("  status: " + d.path("status").asText());
    }

    static void renderKey(JsonNode d, List<String> lines) {
      lines.add(
          "key "
              + d.path("key_id").asText()
              + " ("
              + d.path("owner").asText("unknown owner")
              + "): "
              + d.path("status").asText());
      lines.add(
          "  tiers "
              + d.path("tiers")
              + ", added "
              + d.path("added_at").asText("-")
              + " by "
              + d.path("added_by").asText("-")
              + (d.path("revoked_at").isTextual()
                  ? ", revoked " + d.path("revoked_at").asText()
                  : ""));
      lines.add("  installed packages it signed: " + (d.path("installed").isEmpty() ? "none" : ""));
      d.path("installed")
          .forEach(
              p -> lines.add("    " + p.path("id").asText() + " " + p.path("version").asText()));
      lines.add("  history:");
      d.path("history")
          .forEach(
              e ->
                  lines.add(
                      "    "
                          + e.path("seq").asText()
                          + " "
                          + e.path("ts").asText()
                          + " "
                          + e.path("event").asText()
                          + (e.path("package").isObject()
                              ? " "
                                  + e.path("package").path("id").asText()
                                  + "@"
                                  + e.path("package").path("version").asText()
                              : "")));
    }
  }
}
