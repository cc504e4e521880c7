package dev.agentpkg.cli;

import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import dev.agentpkg.registry.install.TransactionPlan;
import dev.agentpkg.registry.install.UninstallRequest;
import dev.agentpkg.registry.install.Uninstaller;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "uninstall",
    mixinStandardHelpOptions = true,
    description = {
      "Remove a package nothing depends on: exactly its files and the folders they leave empty.",
      "Files changed since install stop the removal (exit 5, listing them) unless --force.",
      "Its archive stays in packages_store/, so it can be installed again."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg uninstall --id PKG-T1-RUNTIME-001 --dry-run",
      "  agentpkg uninstall --id PKG-T1-RUNTIME-001 --token-file maint.token"
    })
final class UninstallCommand implements Callable<Integer> {
  private final CliEnv env;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "The installed package.")
  String id;

  @Option(
      names = "--dry-run",
      description = "Check and print what would be removed; change nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Also remove files changed since install.")
  boolean force;

  @Mixin TokenOptions token;

  UninstallCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, UninstallCommand cmd) {
      Root root = env.root();
      UninstallRequest req = new UninstallRequest(PackageId.of(cmd.id), cmd.dryRun, cmd.force);
      Uninstaller uninstaller = new Uninstaller(env.ctx(), root, env.crashPoints());
      TransactionPlan plan =
          new Governance(env.ctx(), root)
              .mutate(
                  new MutationRequest(
                      "uninstall " + cmd.id,
                      cmd.token.tokenText(env),
                      Role.OPERATOR,
                      "uninstalling packages",
                      cmd.token.lockTimeout()),
                  session -> uninstaller.uninstall(session, req));
      PlanOutput.print(env, "agentpkg/uninstall/v1", plan, cmd.dryRun);
      return 0;
    }
  }
}
