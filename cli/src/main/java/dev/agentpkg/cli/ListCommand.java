package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List installed packages.",
    footerHeading = "%nExamples:%n",
    footer = {"  agentpkg list", "  agentpkg list --json"})
final class ListCommand implements Callable<Integer> {
  private final CliEnv env;

  ListCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env);
  }

  private static final class Work {
    static int run(CliEnv env) {
      List<PackageRecord> records = new PackageRegistry(env.root()).list();
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/list/v1");
      ArrayNode packages = doc.putArray("packages");
      List<String> lines = new ArrayList<>();
      String format = "%-32s %-12s %-4s %-8s %-20s %s";
      lines.add(
          String.format(Locale.ROOT, format, "ID", "VERSION", "TIER", "STATUS", "INSTALLED", "BY"));
      for (PackageRecord r : records) {
        ObjectNode n = packages.addObject();
        n.put("id", r.id().value());
        n.put("name", r.name());
        n.put("version", r.version().toString());
        n.put("tier", r.tier().name());
        n.put("status", r.status());
        n.put("spec_id", r.specId());
        n.put("framework_id", r.frameworkId());
        n.put("archive_sha256", r.archiveSha256());
        n.put("signer_key_id", r.signerKeyId());
        ArrayNode deps = n.putArray("dependencies");
        r.dependencies()
            .forEach(
                d ->
                    deps.addObject()
                        .put("id", d.id().value())
                        .put("version", d.range().toString()));
        n.put("installed_at", r.installedAt().toString());
        n.put("installed_by", r.installedBy());
        lines.add(
            String.format(
                Locale.ROOT,
                format,
                r.id(),
                r.version(),
                r.tier(),
                r.status(),
                r.installedAt(),
                r.installedBy()));
      }
      if (records.isEmpty()) {
        lines.add("(nothing installed; try `agentpkg install ID --token-file FILE`)");
      }
      doc.put("count", records.size());
      out.result(doc, lines.toArray(String[]::new));
      return 0;
    }
  }
}
