package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.cli.run.Capabilities;
import dev.agentpkg.cli.run.InstalledModule;
import dev.agentpkg.core.ExitCode;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Root;
import dev.agentpkg.runtime.capability.Decision;
import dev.agentpkg.runtime.capability.Operation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "capability",
    mixinStandardHelpOptions = true,
    description = "Test an installed package's capabilities without running it.",
    subcommands = {CapabilityCommand.Check.class})
final class CapabilityCommand {
  private CapabilityCommand() {}

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Decide one operation the way `run` would: the path is normalised inside the root,",
        "symbolic links are resolved, forbidden rules win, reserved directories and installed",
        "package files are never writable. Prints allow or deny and the rule that decided.",
        "Exit 0 when allowed, 6 when denied."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  agentpkg capability check PKG-T1-RUNTIME-001 read ledger/governance.jsonl",
        "  agentpkg capability check PKG-T1-RUNTIME-001 write registries/tokens.csv --json",
        "  agentpkg capability check PKG-T1-RUNTIME-001 read data/../registries/tokens.csv"
      })
  static final class Check implements Callable<Integer> {
    private final CliEnv env;

    @Parameters(index = "0", paramLabel = "ID", description = "An installed package.")
    String id;

    @Parameters(
        index = "1",
        paramLabel = "OP",
        description = "read, write, list, delete or execute.")
    String operation;

    @Parameters(index = "2", paramLabel = "PATH", description = "A root-relative path.")
    String path;

    Check(CliEnv env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      Operation op = Operation.parse(operation);
      Root root = env.root();
      InstalledModule module = InstalledModule.load(root, PackageId.of(id));
      Decision d = Capabilities.enforcer(root, module.manifest().capabilities()).check(op, path);
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/capability/v1");
      doc.put("package", id);
      doc.put("operation", op.label());
      doc.put("path", path);
      doc.put("normalized", d.normalized());
      doc.put("allowed", d.allowed());
      doc.put("rule", d.rule());
      out.result(
          doc,
          (d.allowed() ? "allow " : "deny ")
              + op.label()
              + " "
              + (d.normalized().isEmpty() ? path : d.normalized())
              + "  ("
              + d.rule()
              + ")");
      if (!d.allowed()) {
        env.ctx()
            .err()
            .println("agentpkg: denied: " + op.label() + " " + path + " (" + d.rule() + ")");
        return ExitCode.DENIED.code();
      }
      return 0;
    }
  }
}
