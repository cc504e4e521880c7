package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shaded jar (or the launcher) as a user would: a child process with a clean environment.
 */
final class Agentpkg {
  static final ObjectMapper JSON = new ObjectMapper();

  record Result(int code, String out, String err, List<String> args) {
    JsonNode json() {
      try {
        JsonNode node = JSON.readTree(out);
        assertThat(node).as("stdout of %s is one JSON document", args).isNotNull();
        assertThat(node.path("schema").asText()).as("schema of %s", args).startsWith("agentpkg/");
        return node;
      } catch (IOException e) {
        throw new AssertionError(
            "stdout of " + args + " is not JSON:\n" + out + "\nstderr:\n" + err, e);
      }
    }

    Result expect(int expected) {
      assertThat(code)
          .as("exit code of %s\nstdout: %s\nstderr: %s", args, out, err)
          .isEqualTo(expected);
      return this;
    }
  }

  final Path cwd;
  final Map<String, String> env = new HashMap<>();
  boolean viaLauncher;

  Agentpkg(Path cwd) {
    this.cwd = cwd;
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", cwd.toString());
    env.put("LC_ALL", "C.UTF-8");
    env.put("AGENTPKG_CDS_DIR", cwd.resolve(".cds").toString());
  }

  static Path jar() {
    return Path.of(System.getProperty("agentpkg.jar", "target/agentpkg.jar")).toAbsolutePath();
  }

  static Path project() {
    return Path.of(System.getProperty("agentpkg.project", "..")).toAbsolutePath().normalize();
  }

  static Path example(String dir) {
    return project().resolve("examples").resolve(dir).resolve("target/package");
  }

  Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    if (viaLauncher) {
      cmd.add(project().resolve("scripts/agentpkg").toString());
    } else {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-XX:+UseSerialGC");
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-Xshare:auto");
      cmd.add("-jar");
      cmd.add(jar().toString());
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    if (viaLauncher) {
      pb.environment().put("AGENTPKG_JAR", jar().toString());
    }
    try {
      Path out = Files.createTempFile(cwd, ".out", ".txt");
      Path err = Files.createTempFile(cwd, ".err", ".txt");
      pb.redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + List.of(args));
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8),
              List.of(args));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Runs with --json and checks the contract: exactly one JSON document with a schema on stdout.
   */
  Result json(int expectedCode, String... args) {
    String[] withJson = new String[args.length + 1];
    System.arraycopy(args, 0, withJson, 0, args.length);
    withJson[args.length] = "--json";
    Result r = run(withJson).expect(expectedCode);
    r.json();
    if (expectedCode != 0) {
      assertThat(r.err()).as("an error names what went wrong on stderr").contains("agentpkg:");
    }
    return r;
  }

  static int exec(Path cwd, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static String execOut(Path cwd, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return s;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static boolean onPath(String tool) {
    return exec(Path.of("."), "sh", "-c", "command -v " + tool) == 0;
  }
}
