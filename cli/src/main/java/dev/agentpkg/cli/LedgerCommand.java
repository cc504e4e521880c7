package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import dev.agentpkg.integrity.ledger.LedgerHead;
import dev.agentpkg.integrity.ledger.LedgerProblem;
import dev.agentpkg.integrity.ledger.LedgerReport;
import dev.agentpkg.registry.governance.Governance;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
        "recorded, that no tail was cut off. Prints the head it verified, the recorded head and",
        "whether they agree; on failure the first bad entry by seq and what is wrong.",
        "Exit 0 intact, 3 broken or truncated."
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
        "  agentpkg ledger show --event KEY_TRUSTED --json",
        "  agentpkg ledger show --since 2h --jsonl | jq -r .event",
        "  agentpkg ledger show --since 2026-11-22 --package PKG-T0-EVIDENCE-001 --tail 5"
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

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        description =
            "Only events at or after WHEN: an ISO-8601 instant (2026-11-22T10:00:00Z), a date"
                + " (2026-11-22, from midnight UTC) or a duration back from now (30m, 2h, 7d).")
    String since;

    @Option(
        names = "--tail",
        paramLabel = "N",
        description = "Only the last N of the matching events.")
    Integer tail;

    @Option(
        names = "--jsonl",
        description =
            "Print the matching entries exactly as stored, one JSON object a line (JSON Lines,"
                + " for jq); --json instead prints one agentpkg/ledger/v1 document.")
    boolean jsonl;

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
      putHead(doc, "head", Optional.ofNullable(report.head()));
      putHead(doc, "recorded_head", report.recordedHead());
      doc.put("head_check", report.headCheck().label());
      doc.put("head_agrees", report.headCheck().agrees());
      List<String> lines = new ArrayList<>();
      if (report.problem().isPresent()) {
        LedgerProblem p = report.problem().get();
        ObjectNode problem = doc.putObject("problem");
        problem.put("kind", p.kind());
        problem.put("seq", p.seq());
        problem.put("line", p.line());
        problem.put("message", p.message());
        lines.add(
            "ledger "
                + p.kind()
                + " at seq "
                + p.seq()
                + " (line "
                + p.line()
                + "): "
                + p.message());
      } else {
        doc.putNull("problem");
        lines.add("ledger intact: " + report.entries() + " entries");
      }
      lines.add(
          "  verified head: "
              + (report.head() == null
                  ? "none (no entry verified)"
                  : "seq " + report.head().seq() + " " + report.head().hash()));
      lines.add(
          "  recorded head: "
              + report
                  .recordedHead()
                  .map(h -> "seq " + h.seq() + " " + h.hash())
                  .orElse("none (registries/ledger_head.csv holds no head)"));
      lines.add("  " + headSentence(report));
      out.result(doc, lines.toArray(String[]::new));
      if (report.problem().isPresent()) {
        LedgerProblem p = report.problem().get();
        env.ctx()
            .err()
            .println(
                "agentpkg: error: ledger "
                    + p.kind().toLowerCase(Locale.ROOT)
                    + " at seq "
                    + p.seq()
                    + ": "
                    + p.message());
        return 3;
      }
      return 0;
    }

    private static void putHead(ObjectNode doc, String field, Optional<LedgerHead> head) {
      if (head.isEmpty()) {
        doc.putNull(field);
      } else {
        ObjectNode h = doc.putObject(field);
        h.put("seq", head.get().seq());
        h.put("hash", head.get().hash());
      }
    }

    private static String headSentence(LedgerReport r) {
      return switch (r.headCheck()) {
        case MATCHES -> "heads agree";
        case LEDGER_AHEAD ->
            "heads agree up to the recorded seq "
                + r.recordedHead().orElseThrow().seq()
                + "; the ledger has later entries the registry did not record";
        case DIFFERS -> "heads DISAGREE: the entry at the recorded seq has another hash";
        case MISSING -> "heads DISAGREE: the ledger ends before the recorded seq";
        case NOT_RECORDED -> "no recorded head to compare (truncation not checked)";
        case UNCHECKED -> "heads not compared: the chain breaks at or before the recorded seq";
      };
    }

    static int show(CliEnv env, Show cmd) {
      if (cmd.jsonl && env.json()) {
        throw new UsageException(
            "--jsonl and --json exclude each other: --jsonl prints one ledger entry a line,"
                + " --json one agentpkg/ledger/v1 document");
      }
      if (cmd.tail != null && cmd.tail < 0) {
        throw new UsageException("--tail must be 0 or more, got " + cmd.tail);
      }
      Instant since = cmd.since == null ? null : Since.parse(cmd.since, env.ctx().clock());
      Governance gov = new Governance(env.ctx(), env.root());
      List<String> raws = new ArrayList<>();
      List<LedgerEntry> matching = new ArrayList<>();
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
        if (since != null && e.instant().isBefore(since)) {
          continue;
        }
        raws.add(raw);
        matching.add(e);
      }
      int from = cmd.tail == null ? 0 : Math.max(0, matching.size() - cmd.tail);
      if (cmd.jsonl) {
        PrintStream out = env.ctx().out();
        raws.subList(from, raws.size()).forEach(out::println);
        out.flush();
        return 0;
      }
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/ledger/v1");
      if (since != null) {
        doc.put("since", DateTimeFormatter.ISO_INSTANT.format(since));
      }
      ArrayNode entries = doc.putArray("entries");
      List<String> lines = new ArrayList<>();
      for (int i = from; i < matching.size(); i++) {
        LedgerEntry e = matching.get(i);
        entries.add(Json.parse(raws.get(i), "ledger line " + e.seq()));
        lines.add(
            String.format(
                Locale.ROOT,
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
