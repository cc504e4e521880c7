package org.example.agents.runtime;

import dev.agentpkg.api.AgentModule;
import dev.agentpkg.api.CapabilityDeniedException;
import dev.agentpkg.api.ModuleContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.example.agents.evidence.EvidenceRecord;

/**
 * A small agent session: it reads the governance ledger (granted by {@code read:
 * ["ledger/*.jsonl"]}), summarises what happened, records the summary as evidence, and shows that a
 * write it was not granted is refused.
 */
public final class RuntimeModule implements AgentModule {
  @Override
  public int run(ModuleContext ctx) {
    List<String> lines = ctx.files().readLines("ledger/governance.jsonl");
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : lines) {
      int at = line.indexOf("\"event\":\"");
      if (at >= 0) {
        int start = at + 9;
        int end = line.indexOf('"', start);
        counts.merge(line.substring(start, end), 1, Integer::sum);
      }
    }
    Map<String, String> facts = new TreeMap<>();
    counts.forEach((event, n) -> facts.put(event, Integer.toString(n)));
    facts.put("events", Integer.toString(lines.size()));
    new EvidenceRecord("session.summary", ctx.packageId(), facts).emitTo(ctx.evidence());
    ctx.out().println("ledger events: " + lines.size() + " " + counts);
    try {
      ctx.files().write("registries/packages_registry.csv", new byte[0]);
      ctx.err().println("unexpected: write to the registry was allowed");
      return 1;
    } catch (CapabilityDeniedException expected) {
      ctx.out().println("denied as declared: " + expected.getMessage());
    }
    return 0;
  }
}
