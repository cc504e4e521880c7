package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.registry.RootInitializer;
import dev.agentpkg.registry.RootLocator;
import dev.agentpkg.registry.governance.Governance;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a governed root and print its first admin token (shown once).",
      "The root is --root DIR, else $AGENTPKG_ROOT, else the working directory."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  agentpkg init --root /srv/agents", "  agentpkg init --root ./root --json"})
final class InitCommand implements Callable<Integer> {
  private final CliEnv env;

  InitCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env);
  }

  private static final class Work {
    static int run(CliEnv env) {
      Path target = RootLocator.initTarget(env.ctx(), env.rootFlag());
      RootInitializer.InitResult result = RootInitializer.init(env.ctx(), target);
      new Governance(env.ctx(), result.root())
          .bootstrap(
              session -> {
                ObjectNode init = Json.object();
                init.put("root", result.root().dir().toString());
                init.put("layout", 1);
                session.record("INIT", Optional.empty(), init);
                ObjectNode token = Json.object();
                token.put("token_id", result.adminToken().tokenId());
                token.put("role", result.adminToken().role().label());
                token.put("note", "first admin token, created by init");
                session.record("TOKEN_CREATED", Optional.empty(), token);
                return null;
              });
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/init/v1");
      doc.put("root", result.root().dir().toString());
      doc.put("token_id", result.adminToken().tokenId());
      doc.put("role", result.adminToken().role().label());
      doc.put("admin_token", result.adminToken().secretText());
      out.result(
          doc,
          "Initialised agentpkg root at " + result.root().dir(),
          "First admin token (shown once; store it now, e.g. in a file for --token-file):",
          "  " + result.adminToken().secretText());
      out.secretUnderQuiet(result.adminToken().secretText());
      return 0;
    }
  }
}
