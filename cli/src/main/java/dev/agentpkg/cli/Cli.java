package dev.agentpkg.cli;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.ExitCode;
import dev.agentpkg.registry.install.CrashPoints;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Builds the command tree for one invocation and runs it. Commands get their {@link CliEnv} through
 * the factory, so a test can run the whole CLI on Jimfs with a fixed clock.
 */
public final class Cli {
  private final AppContext ctx;
  private final CrashPoints crash;
  private final boolean stderrIsTerminal;

  public Cli(AppContext ctx) {
    this(ctx, CrashPoints.NONE, false);
  }

  public Cli(AppContext ctx, CrashPoints crash) {
    this(ctx, crash, false);
  }

  /**
   * @param stderrIsTerminal whether progress may be drawn on stderr unasked; the JVM cannot tell
   *     (System.console() speaks for stdin and stdout), so the launcher checks fd 2 and says so
   */
  public Cli(AppContext ctx, CrashPoints crash, boolean stderrIsTerminal) {
    this.ctx = ctx;
    this.crash = crash;
    this.stderrIsTerminal = stderrIsTerminal;
  }

  public int execute(String... args) {
    AgentpkgCommand top = new AgentpkgCommand();
    CliEnv env = new CliEnv(ctx, top, crash, stderrIsTerminal);
    Factory factory = new Factory(env);
    CommandLine cl = new CommandLine(top, factory);
    for (String name : subcommandsFor(cl, args)) {
      cl.addSubcommand(name, new CommandLine(AgentpkgCommand.SUBCOMMANDS.get(name), factory));
    }
    // on every subcommand, not only in the top command's annotation: `agentpkg list --version`
    // printed nothing
    setVersion(cl, new VersionProvider());
    cl.setOut(new PrintWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // named classes, not lambdas: a lambda implementing a picocli interface (Java 5 class files)
    // gets the interface linked when the launcher dumps its class archive, which leaves the
    // interface (and picocli's classes implementing it) out of the archive, to be loaded and
    // verified from the jar on every run
    cl.setExecutionExceptionHandler(new ExecutionErrors(env));
    cl.setParameterExceptionHandler(new UsageErrors(env));
    return cl.execute(args);
  }

  /**
   * The subcommand the arguments name, found the way picocli will parse them (skipping the values
   * of global options), or all of them when none is named: the top-level help and the "did you
   * mean" suggestions for a mistyped command need the whole list.
   */
  static java.util.Collection<String> subcommandsFor(CommandLine top, String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (a.startsWith("-")) {
        CommandLine.Model.OptionSpec o = top.getCommandSpec().findOption(a);
        if (o != null && o.arity().max() > 0 && !a.contains("=")) {
          i++;
        }
        continue;
      }
      return AgentpkgCommand.SUBCOMMANDS.containsKey(a)
          ? java.util.List.of(a)
          : AgentpkgCommand.SUBCOMMANDS.keySet();
    }
    return AgentpkgCommand.SUBCOMMANDS.keySet();
  }

  private static void setVersion(CommandLine line, CommandLine.IVersionProvider version) {
    line.getCommandSpec().versionProvider(version);
    line.getSubcommands().values().forEach(sub -> setVersion(sub, version));
  }

  /** An exception out of a command: reported in one place, mapped to its exit code. */
  private static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
    private final CliEnv env;

    ExecutionErrors(CliEnv env) {
      this.env = env;
    }

    @Override
    public int handleExecutionException(
        Exception ex, CommandLine line, CommandLine.ParseResult parsed) {
      return new ErrorReporter(env).report(ex);
    }
  }

  /** Arguments picocli could not parse: the message, suggestions and where to find help. */
  private static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    private final CliEnv env;

    UsageErrors(CliEnv env) {
      this.env = env;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      AppContext ctx = env.ctx();
      ctx.err().println("agentpkg: " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, ctx.err());
      ctx.err()
          .println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      if (env.json()) {
        new ErrorReporter(env).printJsonError(ExitCode.USAGE, ex.getMessage());
      }
      return ExitCode.USAGE.code();
    }
  }

  /** Passes the shared environment to every command that asks for it in its constructor. */
  private static final class Factory implements CommandLine.IFactory {
    private final CliEnv env;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(CliEnv env) {
      this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(CliEnv.class);
        return c.newInstance(env);
      } catch (NoSuchMethodException e) {
        return fallback.create(cls);
      }
    }
  }
}
