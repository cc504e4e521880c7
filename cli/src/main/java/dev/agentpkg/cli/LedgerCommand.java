package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import dev.agentpkg.integrity.ledger.LedgerProblem;
import dev.agentpkg.integrity.ledger.LedgerReport;
import dev.agentpkg.registry.governance.Governance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "The hash-chained governance ledger (ledger/governance.jsonl).",
    subcommands = {LedgerCommand.Verify.class, LedgerCommand.Show.class})
final class LedgerCommand {
  private LedgerCommand() {}

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Verify the chain (seq, prev, hash of every entry) and, against the head the registry",
        "recorded, that no tail was cut off. Exit 0 intact, 3 broken or truncated."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  agentpkg ledger verify", "  agentpkg ledger verify --json"})
  static final class Verify implements Callable<Integer> {
    private final CliEnv env;

    Verify(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.verify(env);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show ledger events, oldest first.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  agentpkg ledger show --package PKG-T1-RUNTIME-001",
        "  agentpkg ledger show --event KEY_TRUSTED --json"
      })
  static final class Show implements Callable<Integer> {
    private final CliEnv env;

    @Option(names = "--package", paramLabel = "ID", description = "Only events about this package.")
    String packageId;

    @Option(
        names = "--event",
        paramLabel = "EVENT",
        description = "Only events of this kind, e.g. INSTALLED.")
    String event;

    Show(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.show(env, this);
    }
  }

  private static final class Work {
    static int verify(CliEnv env) {
      LedgerReport report = new Governance(env.ctx(), env.root()).verifyLedger();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/ledger-verify/v1");
      doc.put("ok", report.ok());
      doc.put("entries", report.entries());
      if (report.head() == null) {
        doc.putNull("head");
      } else {
        ObjectNode head = doc.putObject("head");
        head.put("seq", report.head().seq());
        head.put("hash", report.head().hash());
      }
      if (report.problem().isPresent()) {
        LedgerProblem p = report.problem().get();
        ObjectNode problem = doc.putObject("problem");
        problem.put("kind", p.kind());
        problem.put("seq", p.seq());
        problem.put("line", p.line());
        problem.put("message", p.message());
        out.result(
            doc,
            "ledger "
                + p.kind()
                + " at seq "
                + p.seq()
                + " (line "
                + p.line()
                + "): "
                + p.message());
        env.ctx()
            .err()
            .println(
                "agentpkg: error: ledger "
                    + p.kind().toLowerCase(java.util.Locale.ROOT)
                    + ": "
                    + p.message());
        return 3;
      }
      doc.putNull("problem");
      out.result(
          doc,
          "ledger intact: "
              + report.entries()
              + " entries"
              + (report.head() == null
                  ? ""
                  : ", head seq " + report.head().seq() + " " + report.head().hash()));
      return 0;
    }

    static int show(CliEnv env, Show cmd) {
      Governance gov = new Governance(env.ctx(), env.root());
      List<String> lines = new ArrayList<>();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/ledger/v1");
      ArrayNode entries = doc.putArray("entries");
      for (String raw : gov.ledger().readLines()) {
        if (raw.isEmpty()) {
          continue;
        }
        LedgerEntry e = LedgerEntry.parse(raw);
        if (cmd.event != null && !e.event().equals(cmd.event)) {
          continue;
        }
        if (cmd.packageId != null && (e.pkg() == null || !e.pkg().id().equals(cmd.packageId))) {
          continue;
        }
        JsonNode node = Json.parse(raw, "ledger line " + e.seq());
        entries.add(node);
        lines.add(
            String.format(
                java.util.Locale.ROOT,
                "%5d  %s  %-16s %-24s %s %s",
                e.seq(),
                e.ts(),
                e.event(),
                e.pkg() == null ? "-" : e.pkg().id() + "@" + e.pkg().version(),
                e.actor() == null ? "(bootstrap)" : e.actor().tokenId() + "/" + e.actor().role(),
                Json.write(e.details())));
      }
      out.result(doc, lines.toArray(String[]::new));
      return 0;
    }
  }
}
