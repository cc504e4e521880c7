package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.Tier;
import dev.agentpkg.registry.state.PackageRecord;
import dev.agentpkg.registry.state.PackageRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Print the dependency graph of installed packages, tiers as ranks, for Graphviz or Mermaid.",
      "With ID, only what ID depends on, transitively. Render with `dot -Tsvg` or paste the",
      "mermaid text into any Markdown viewer that supports mermaid code blocks."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg graph | dot -Tsvg > deps.svg",
      "  agentpkg graph --format mermaid PKG-T1-RUNTIME-001"
    })
final class GraphCommand implements Callable<Integer> {
  private final CliEnv env;

  @Option(
      names = "--format",
      paramLabel = "dot|mermaid",
      defaultValue = "dot",
      description = "Output format (default dot).")
  String format;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ID",
      description = "Start from this package.")
  String id;

  GraphCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, GraphCommand cmd) {
      if (!cmd.format.equals("dot") && !cmd.format.equals("mermaid")) {
        throw new UsageException("--format must be dot or mermaid, not '" + cmd.format + "'");
      }
      Map<PackageId, PackageRecord> all = new LinkedHashMap<>();
      new PackageRegistry(env.root()).list().forEach(r -> all.put(r.id(), r));
      Set<PackageId> shown = new TreeSet<>(all.keySet());
      if (cmd.id != null) {
        PackageId start = PackageId.of(cmd.id);
        if (!all.containsKey(start)) {
          throw new NotFoundException("package " + start + " is not installed");
        }
        shown = reachable(start, all);
      }
      List<String> lines = new ArrayList<>();
      boolean dot = cmd.format.equals("dot");
      lines.add(dot ? "digraph agentpkg {" : "flowchart BT");
      if (dot) {
        lines.add("  rankdir=BT; node [shape=box, fontname=\"monospace\"];");
      }
      for (Tier tier : Tier.values()) {
        List<PackageId> inTier = shown.stream().filter(p -> all.get(p).tier() == tier).toList();
        if (inTier.isEmpty()) {
          continue;
        }
        lines.add(
            dot
                ? "  subgraph cluster_" + tier + " { label=\"" + tier + "\"; rank=same;"
                : "  subgraph " + tier);
        for (PackageId p : inTier) {
          String label = p + "\\n" + all.get(p).version();
          lines.add(
              dot
                  ? "    \"" + p + "\" [label=\"" + label + "\"];"
                  : "    " + node(p) + "[\"" + p + " " + all.get(p).version() + "\"]");
        }
        lines.add(dot ? "  }" : "  end");
      }
      ObjectNode doc = env.output().document("agentpkg/graph/v1");
      ArrayNode nodes = doc.putArray("nodes");
      ArrayNode edges = doc.putArray("edges");
      for (PackageId p : shown) {
        PackageRecord r = all.get(p);
        nodes
            .addObject()
            .put("id", p.value())
            .put("version", r.version().toString())
            .put("tier", r.tier().name());
        for (Dependency d : r.dependencies()) {
          boolean ok = all.containsKey(d.id()) && d.range().contains(all.get(d.id()).version());
          edges
              .addObject()
              .put("from", p.value())
              .put("to", d.id().value())
              .put("wanted", d.range().toString())
              .put("satisfied", ok);
          String label = d.range() + (ok ? "" : " (unsatisfied)");
          lines.add(
              dot
                  ? "  \""
                      + p
                      + "\" -> \""
                      + d.id()
                      + "\" [label=\""
                      + label
                      + "\""
                      + (ok ? "" : ", color=red")
                      + "];"
                  : "  " + node(p) + " -->|\"" + label + "\"| " + node(d.id()));
        }
      }
      if (dot) {
        lines.add("}");
      }
      env.output().result(doc, lines.toArray(String[]::new));
      return 0;
    }

    private static String node(PackageId p) {
      return p.value().replace('-', '_');
    }

    private static Set<PackageId> reachable(PackageId start, Map<PackageId, PackageRecord> all) {
      Set<PackageId> seen = new TreeSet<>();
      Deque<PackageId> todo = new ArrayDeque<>(List.of(start));
      while (!todo.isEmpty()) {
        PackageId p = todo.pop();
        if (seen.add(p) && all.containsKey(p)) {
          all.get(p).dependencies().stream()
              .map(Dependency::id)
              .filter(all::containsKey)
              .forEach(todo::push);
        }
      }
      seen.retainAll(all.keySet());
      return seen;
    }
  }
}
