package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Only the named subcommand is built, found the way picocli parses; help still lists them all. */
class SubcommandSelectionTest {
  JimfsCli cli;
  CommandLine top;

  @BeforeEach
  void setUp() {
    cli = new JimfsCli();
    top = new CommandLine(new AgentpkgCommand());
  }

  @AfterEach
  void tearDown() throws Exception {
    cli.close();
  }

  @Test
  void everyNameIsTheCommandsOwn() {
    for (Map.Entry<String, Class<?>> e : AgentpkgCommand.SUBCOMMANDS.entrySet()) {
      assertThat(e.getValue().getAnnotation(Command.class).name()).isEqualTo(e.getKey());
    }
    assertThat(AgentpkgCommand.SUBCOMMANDS).hasSize(16);
  }

  @Test
  void theNamedCommandAloneIsBuilt() {
    assertThat(Cli.subcommandsFor(top, "integrity", "check", "--json"))
        .containsExactly("integrity");
    assertThat(Cli.subcommandsFor(top, "-q", "--json", "list")).containsExactly("list");
  }

  @Test
  void valuesOfGlobalOptionsAreNotMistakenForTheCommand() {
    assertThat(Cli.subcommandsFor(top, "--root", "list", "install", "X"))
        .containsExactly("install");
    assertThat(Cli.subcommandsFor(top, "--color", "never", "trace", "--explain", "X"))
        .containsExactly("trace");
    assertThat(Cli.subcommandsFor(top, "--root=list", "doctor")).containsExactly("doctor");
  }

  @Test
  void noOrAnUnknownCommandBuildsThemAll() {
    assertThat(Cli.subcommandsFor(top)).hasSize(16);
    assertThat(Cli.subcommandsFor(top, "--help")).hasSize(16);
    assertThat(Cli.subcommandsFor(top, "lst")).hasSize(16);
    assertThat(Cli.subcommandsFor(top, "--", "list")).hasSize(16);
  }

  @Test
  void helpListsEveryCommandAndAMistypedOneGetsSuggestions() {
    JimfsCli.Run help = cli.run("--help");
    assertThat(help.code()).isZero();
    for (String name : AgentpkgCommand.SUBCOMMANDS.keySet()) {
      assertThat(help.out()).contains("  " + name + " ");
    }
    JimfsCli.Run typo = cli.run("lst");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("Did you mean: agentpkg list");
  }

  @Test
  void globalOptionsStillWorkAfterTheCommand() throws Exception {
    JimfsCli.Run r = cli.run("list", "--root", "/nowhere", "--json");
    assertThat(r.code()).isEqualTo(4);
    assertThat(r.json().get("schema").asText()).isNotEmpty();
    assertThat(List.of(r.out().split("\n"))).hasSize(1);
  }
}
