package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.ExitCode;
import dev.agentpkg.integrity.json.Json;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The one place exceptions become exit codes and messages. A user sees one line naming what went
 * wrong; a stack trace only with {@code --debug}; with {@code --json} stdout still carries one JSON
 * document.
 */
final class ErrorReporter {
  private final CliEnv env;

  ErrorReporter(CliEnv env) {
    this.env = env;
  }

  int report(Throwable ex) {
    ExitCode code;
    String message;
    if (ex instanceof AgentpkgException ae) {
      code = ae.exitCode();
      message = ae.getMessage();
    } else if (ex instanceof UncheckedIOException io) {
      code = ExitCode.IO;
      message = "I/O error: " + io.getCause().getMessage();
    } else if (ex instanceof OutOfMemoryError) {
      code = ExitCode.FAILED;
      message = "out of memory; raise the heap with JAVA_OPTS=-Xmx...";
    } else {
      code = ExitCode.INTERNAL;
      message =
          "internal error (a bug): "
              + ex
              + (env.debug() ? "" : "; rerun with --debug for the stack trace");
    }
    env.ctx().err().println("agentpkg: error: " + message);
    if (env.debug()) {
      ex.printStackTrace(env.ctx().err());
    }
    if (env.json()) {
      printJsonError(code, message);
    }
    return code.code();
  }

  void printJsonError(ExitCode code, String message) {
    ObjectNode doc = Json.object();
    doc.put("schema", "agentpkg/error/v1");
    doc.put("ok", false);
    ObjectNode error = doc.putObject("error");
    error.put("exit_code", code.code());
    error.put("kind", code.name().toLowerCase(Locale.ROOT));
    error.put("message", message);
    env.ctx().out().println(Json.write(doc));
    env.ctx().out().flush();
  }
}
