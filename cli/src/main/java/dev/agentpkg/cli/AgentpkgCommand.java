package dev.agentpkg.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level command. Global options live here with {@code INHERIT} scope, so they work before
 * or after the subcommand name. Subcommand classes hold only plain option fields and delegate their
 * work, so {@code --help} and {@code --version} load no crypto, archive or CSV classes.
 */
@Command(
    name = "agentpkg",
    mixinStandardHelpOptions = true,
    description = "Package manager for governed AI-agent modules.",
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0 ok   1 failed   2 usage   3 integrity/verification   4 not found",
      "  5 conflict/state   6 denied   7 I/O   70 internal error",
      "",
      "Examples:",
      "  agentpkg init --root /srv/agents",
      "  agentpkg keys generate --out signer.pem",
      "  agentpkg pack --src examples/evidence/target/package --key signer.pem",
      "  agentpkg verify packages_store/PKG-T0-EVIDENCE-001-0.1.0.tar.gz",
      "  agentpkg install PKG-T0-EVIDENCE-001 --token-file admin.token",
      "  agentpkg list",
      "  agentpkg run PKG-T1-RUNTIME-001 --token-file operator.token",
    })
public final class AgentpkgCommand implements java.util.concurrent.Callable<Integer> {
  /**
   * The subcommands by name, in help order. Registered by {@link Cli}, not in the annotation:
   * picocli builds every registered command's model by reflection (~0.15 s of a heavy command's
   * start-up on these machines), and one invocation needs one of them.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("init", InitCommand.class);
    m.put("keys", KeysCommand.class);
    m.put("token", TokenCommand.class);
    m.put("pack", PackCommand.class);
    m.put("sign", SignCommand.class);
    m.put("verify", VerifyCommand.class);
    m.put("install", InstallCommand.class);
    m.put("uninstall", UninstallCommand.class);
    m.put("list", ListCommand.class);
    m.put("doctor", DoctorCommand.class);
    m.put("integrity", IntegrityCommand.class);
    m.put("trace", TraceCommand.class);
    m.put("graph", GraphCommand.class);
    m.put("ledger", LedgerCommand.class);
    m.put("run", RunCommand.class);
    m.put("capability", CapabilityCommand.class);
    return Collections.unmodifiableMap(m);
  }

  @Option(
      names = "--root",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "The governed root (default: $AGENTPKG_ROOT, else the nearest ancestor root).")
  String root;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print exactly one JSON document on stdout; messages go to stderr.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Print only errors.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print more detail.")
  boolean verbose;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      scope = ScopeType.INHERIT,
      defaultValue = "auto",
      description = "auto|always|never (auto honours NO_COLOR).")
  String color;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean debug;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Without a command there is nothing to do: show the usage on stderr and exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
