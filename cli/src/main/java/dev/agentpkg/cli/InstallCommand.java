package dev.agentpkg.cli;

import dev.agentpkg.cli.run.CodeScan;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.SemVer;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import dev.agentpkg.registry.install.InstallRequest;
import dev.agentpkg.registry.install.Installer;
import dev.agentpkg.registry.install.TransactionPlan;
import dev.agentpkg.registry.state.PackageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = {
      "Verify and install (or upgrade) a package atomically: signature, trust, role, manifest,",
      "dependencies and file ownership are checked before anything is extracted; the commit is",
      "journaled so a crash is finished or undone by `agentpkg doctor`.",
      "Installing the same version and archive again does nothing; an older version needs",
      "--allow-downgrade. Needs a maintainer token (admin for G0/T0)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  agentpkg install PKG-T0-EVIDENCE-001 --token-file admin.token        # newest in packages_store/",
      "  agentpkg install PKG-T1-RUNTIME-001@0.1.0 --dry-run --json",
      "  agentpkg install --archive /tmp/my-module-1.0.0.tar.gz --token-file maint.token"
    })
final class InstallCommand implements Callable<Integer> {
  private final CliEnv env;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ID[@VERSION]",
      description = "A package in the root's packages_store/.")
  String spec;

  @Option(
      names = "--archive",
      paramLabel = "FILE",
      description = "Install this archive (its .sig beside it).")
  String archive;

  @Option(names = "--id", paramLabel = "ID", description = "The package the archive must hold.")
  String id;

  @Option(names = "--dry-run", description = "Check everything and print the plan; change nothing.")
  boolean dryRun;

  @Option(
      names = "--allow-downgrade",
      description = "Allow installing an older version than installed.")
  boolean allowDowngrade;

  @Option(
      names = "--allow-transfer",
      description = "Take over paths owned by other packages (admin).")
  boolean allowTransfer;

  @Option(
      names = "--force",
      description =
          "Replace or remove files of the installed version that were changed since install"
              + " (otherwise an upgrade refuses, exit 5).")
  boolean force;

  @Mixin TokenOptions token;

  InstallCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, InstallCommand cmd) {
      if ((cmd.spec == null) == (cmd.archive == null)) {
        throw new UsageException(
            "give either ID[@VERSION] (from packages_store/) or --archive FILE");
      }
      Root root = env.root();
      Path archive = cmd.archive != null ? env.ctx().path(cmd.archive) : fromStore(root, cmd.spec);
      InstallRequest req =
          new InstallRequest(
              archive,
              Optional.ofNullable(cmd.id).map(PackageId::of),
              cmd.dryRun,
              cmd.allowDowngrade,
              cmd.allowTransfer,
              cmd.force);
      Installer installer =
          new Installer(
              env.ctx(), root, env.crashPoints(), ArchiveLimits.defaults(), CodeScan.standard());
      TransactionPlan plan =
          new Governance(env.ctx(), root)
              .mutate(
                  new MutationRequest(
                      "install " + archive.getFileName(),
                      cmd.token.tokenText(env),
                      Role.OPERATOR,
                      "installing packages",
                      cmd.token.lockTimeout()),
                  session -> installer.install(session, req));
      PlanOutput.print(env, "agentpkg/install/v1", plan, cmd.dryRun);
      return 0;
    }

    /** ID@VERSION names one archive; a bare ID takes the highest version in the store. */
    static Path fromStore(Root root, String spec) {
      int at = spec.indexOf('@');
      PackageId id = PackageId.of(at < 0 ? spec : spec.substring(0, at));
      PackageStore store = new PackageStore(root);
      if (at >= 0) {
        SemVer v = SemVer.parse(spec.substring(at + 1));
        Path p = store.archive(id, v);
        if (!Files.isRegularFile(p)) {
          throw new NotFoundException(
              id + " " + v + " is not in packages_store/ (pack it or use --archive)");
        }
        return p;
      }
      return store
          .newest(id)
          .orElseThrow(() -> new NotFoundException("no archive of " + id + " in packages_store/"));
    }
  }
}
