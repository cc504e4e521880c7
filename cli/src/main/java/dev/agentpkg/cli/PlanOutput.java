package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.registry.install.TransactionPlan;
import java.util.ArrayList;
import java.util.List;

/** Prints a transaction plan or result the same way for install, uninstall and their dry runs. */
final class PlanOutput {
  private PlanOutput() {}

  static void print(CliEnv env, String schema, TransactionPlan plan, boolean dryRun) {
    Output out = env.output();
    ObjectNode doc = out.document(schema);
    doc.put("action", plan.action());
    doc.put("dry_run", dryRun);
    doc.put("id", plan.packageId());
    doc.put("version", plan.version());
    doc.put("tier", plan.tier());
    doc.put("previous_version", plan.previousVersion().orElse(null));
    doc.put("archive_sha256", plan.archiveSha256());
    doc.put("manifest_sha256", plan.manifestSha256());
    doc.put("signer_key_id", plan.signerKeyId());
    ObjectNode files = doc.putObject("files");
    strings(files.putArray("add"), plan.add());
    strings(files.putArray("replace"), plan.replace());
    strings(files.putArray("remove"), plan.remove());
    strings(files.putArray("transfer"), plan.transfers());
    strings(doc.putArray("checks"), plan.checks());

    List<String> lines = new ArrayList<>();
    String verb =
        switch (plan.action()) {
          case "reinstall" -> "Already installed:";
          case "uninstall" -> dryRun ? "Would uninstall" : "Uninstalled";
          case "upgrade" -> dryRun ? "Would upgrade" : "Upgraded";
          case "downgrade" -> dryRun ? "Would downgrade" : "Downgraded";
          default -> dryRun ? "Would install" : "Installed";
        };
    String from =
        plan.previousVersion()
            .filter(v -> !v.equals(plan.version()))
            .map(v -> " (from " + v + ")")
            .orElse("");
    lines.add(
        verb
            + " "
            + plan.packageId()
            + " "
            + plan.version()
            + from
            + " ["
            + plan.tier()
            + "]: "
            + plan.add().size()
            + " added, "
            + plan.replace().size()
            + " replaced, "
            + plan.remove().size()
            + " removed");
    if (dryRun || env.verbose()) {
      section(lines, "add", plan.add(), env.verbose());
      section(lines, "replace", plan.replace(), env.verbose());
      section(lines, "remove", plan.remove(), env.verbose());
      plan.checks().forEach(c -> lines.add("  ok: " + c));
      if (dryRun) {
        lines.add("(dry run: nothing was changed)");
      }
    }
    out.result(doc, lines.toArray(String[]::new));
  }

  private static void section(List<String> lines, String label, List<String> paths, boolean all) {
    int shown = all ? paths.size() : Math.min(20, paths.size());
    for (int i = 0; i < shown; i++) {
      lines.add("  " + label + " " + paths.get(i));
    }
    if (shown < paths.size()) {
      lines.add("  ... " + (paths.size() - shown) + " more to " + label + " (-v lists all)");
    }
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
