package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.audit.Finding;
import dev.agentpkg.registry.audit.HashProgress;
import dev.agentpkg.registry.audit.IntegrityChecker;
import dev.agentpkg.registry.audit.IntegrityReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "integrity",
    mixinStandardHelpOptions = true,
    description = "Prove the root is what its registry and ledger say.",
    subcommands = {IntegrityCommand.Check.class})
final class IntegrityCommand {
  private IntegrityCommand() {}

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Re-hash every owned file (all cores), find unowned files anywhere outside the reserved",
        "folders, cross-check registry, ownership index, trust store, store archives and",
        "dependencies, verify the ledger and replay it against the registry.",
        "Exit 0 healthy, 3 findings, 4 no root. Finding kinds: MODIFIED MISSING MODE_CHANGED",
        "ORPHAN REGISTRY_INCONSISTENT UNSATISFIED_DEPENDENCY TIER_VIOLATION UNTRUSTED_SIGNER",
        "STORE_MISMATCH LEDGER_BROKEN LEDGER_TRUNCATED LEDGER_DISAGREES PENDING_TRANSACTION."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  agentpkg integrity check",
        "  agentpkg integrity check --package PKG-T1-RUNTIME-001 --json"
      })
  static final class Check implements Callable<Integer> {
    private final CliEnv env;

    @Option(
        names = "--package",
        paramLabel = "ID",
        description = "Check only this package (no orphan scan).")
    String packageId;

    @Option(
        names = "--progress",
        negatable = true,
        description = {
          "Show re-hash progress on stderr (default: only when stderr is a terminal, as the",
          "launcher reports it, and never with -q). Never on stdout, so --json stays one document."
        })
    Boolean progress;

    Check(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return Work.run(env, this);
    }
  }

  private static final class Work {
    /** Digests are long; people recognise them by their first characters, JSON keeps them whole. */
    static String brief(String value) {
      return value != null && value.length() == 64
          ? value.substring(0, 12) + "…"
          : String.valueOf(value);
    }

    static int run(CliEnv env, Check cmd) {
      IntegrityChecker checker =
          new IntegrityChecker(env.ctx(), env.root(), Runtime.getRuntime().availableProcessors());
      Optional<PackageId> only = Optional.ofNullable(cmd.packageId).map(PackageId::of);
      boolean show = cmd.progress != null ? cmd.progress : env.stderrIsTerminal() && !env.quiet();
      IntegrityReport report;
      if (show) {
        HashProgress progress = new HashProgress();
        try (ProgressLine line =
            new ProgressLine(env.ctx().err(), env.stderrIsTerminal(), progress)) {
          report = checker.check(only, progress);
        }
      } else {
        report = checker.check(only);
      }
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/integrity/v1");
      doc.put("healthy", report.healthy());
      ObjectNode summary = doc.putObject("summary");
      summary.put("packages", report.packages());
      summary.put("files", report.files());
      summary.put("bytes", report.bytes());
      summary.put("scanned_for_orphans", report.scannedForOrphans());
      summary.put("findings", report.findings().size());
      ArrayNode findings = doc.putArray("findings");
      Map<String, List<Finding>> byPackage = new TreeMap<>();
      for (Finding f : report.findings()) {
        ObjectNode n = findings.addObject();
        n.put("kind", f.kind());
        n.put("package", f.pkg());
        n.put("path", f.path());
        n.put("expected", f.expected());
        n.put("actual", f.actual());
        n.put("message", f.message());
        byPackage
            .computeIfAbsent(f.pkg() == null ? "(root)" : f.pkg(), k -> new ArrayList<>())
            .add(f);
      }
      List<String> lines = new ArrayList<>();
      byPackage.forEach(
          (pkg, list) -> {
            lines.add(pkg);
            for (Finding f : list) {
              lines.add(
                  f.path() == null
                      ? String.format(Locale.ROOT, "  %-22s %s", f.kind(), f.message())
                      : String.format(
                          Locale.ROOT,
                          "  %-22s %s  (expected %s, found %s)",
                          f.kind(),
                          f.path(),
                          brief(f.expected()),
                          brief(f.actual())));
            }
          });
      lines.add(
          report.packages()
              + " packages, "
              + report.files()
              + " files, "
              + report.findings().size()
              + " findings"
              + (report.healthy() ? " — healthy" : ""));
      out.result(doc, lines.toArray(String[]::new));
      return report.healthy() ? 0 : 3;
    }
  }
}
