package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.integrity.json.Json;
import java.io.PrintStream;

/**
 * Keeps stdout clean: results go to stdout as text or as one JSON document; notes, warnings and
 * progress go to stderr.
 */
public final class Output {
  private final CliEnv env;

  Output(CliEnv env) {
    this.env = env;
  }

  /** A new JSON result document carrying its schema name. */
  public ObjectNode document(String schema) {
    ObjectNode doc = Json.object();
    doc.put("schema", schema);
    return doc;
  }

  /** Prints the result: the document under {@code --json}, otherwise the text lines. */
  public void result(ObjectNode doc, String... textLines) {
    PrintStream out = env.ctx().out();
    if (env.json()) {
      out.println(Json.write(doc));
    } else if (!env.quiet()) {
      for (String line : textLines) {
        out.println(line);
      }
    }
    out.flush();
  }

  /** A secret shown once must reach the user even under -q (then it is the only output). */
  public void secretUnderQuiet(String secret) {
    if (env.quiet() && !env.json()) {
      env.ctx().out().println(secret);
      env.ctx().out().flush();
    }
  }

  /** A line for people that is part of the result (not shown under --json or -q). */
  public void line(String text) {
    if (!env.json() && !env.quiet()) {
      env.ctx().out().println(text);
    }
  }

  /** A note or warning for people: always stderr, silenced by -q. */
  public void note(String text) {
    if (!env.quiet()) {
      env.ctx().err().println("agentpkg: " + text);
    }
  }

  /** Shown even under -q: something the user must act on (e.g. a secret shown once). */
  public void important(String text) {
    env.ctx().err().println("agentpkg: " + text);
  }
}
