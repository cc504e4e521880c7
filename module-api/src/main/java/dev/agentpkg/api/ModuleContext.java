package dev.agentpkg.api;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/** Everything a module may reach. Every file operation is checked against its capabilities. */
public interface ModuleContext {
  /** The arguments given after {@code --} on the command line. */
  List<String> arguments();

  /** Root-relative, capability-checked file access. */
  GovernedFiles files();

  /** Appends {@code EVIDENCE} events to the root's ledger on behalf of the running package. */
  EvidenceEmitter evidence();

  Clock clock();

  PrintStream out();

  PrintStream err();

  /** The id of the package being run. */
  String packageId();
}
