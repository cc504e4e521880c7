package dev.agentpkg.cli;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.RootLocator;
import dev.agentpkg.registry.install.CrashPoints;
import java.util.Optional;

/** What every command shares: the process context and the global options. */
public final class CliEnv {
  private final AppContext ctx;
  private final AgentpkgCommand global;
  private final CrashPoints crash;
  private final boolean stderrIsTerminal;

  CliEnv(AppContext ctx, AgentpkgCommand global, CrashPoints crash, boolean stderrIsTerminal) {
    this.ctx = ctx;
    this.global = global;
    this.crash = crash;
    this.stderrIsTerminal = stderrIsTerminal;
  }

  /** As the launcher found fd 2 (see {@link Cli}); false when run without it, e.g. java -jar. */
  public boolean stderrIsTerminal() {
    return stderrIsTerminal;
  }

  public CrashPoints crashPoints() {
    return crash;
  }

  public AppContext ctx() {
    return ctx;
  }

  public boolean json() {
    return global.json;
  }

  public boolean quiet() {
    return global.quiet;
  }

  public boolean verbose() {
    return global.verbose;
  }

  public boolean debug() {
    return global.debug;
  }

  public Optional<String> rootFlag() {
    return Optional.ofNullable(global.root);
  }

  public Root root() {
    return RootLocator.locate(ctx, rootFlag());
  }

  public Output output() {
    return new Output(this);
  }
}
