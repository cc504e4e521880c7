package dev.agentpkg.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.api.CapabilityDeniedException;
import dev.agentpkg.core.SuppressForbidden;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.runtime.capability.CapabilityEnforcer;
import dev.agentpkg.runtime.capability.Decision;
import dev.agentpkg.runtime.capability.Operation;
import dev.agentpkg.runtime.exec.HostServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host side of a module's {@code ModuleContext}: every file operation is decided by the {@link
 * CapabilityEnforcer} here, in the host, whichever isolation the module runs in; a denial becomes a
 * {@code CAPABILITY_DENIED} ledger event and a {@link CapabilityDeniedException} in the module.
 */
final class GovernedHost implements HostServices {
  static final long MAX_READ_BYTES = 64L * 1024 * 1024;
  static final long EXEC_TIMEOUT_SECONDS = 300;
  private static final Pattern EVIDENCE_KIND = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
  private static final int MAX_EVIDENCE_FIELDS = 64;
  private static final int MAX_EVIDENCE_VALUE = 4096;

  private final CapabilityEnforcer enforcer;
  private final RunEvents events;
  private final Path workDirectory;
  private final PrintStream err;

  GovernedHost(CapabilityEnforcer enforcer, RunEvents events, Path workDirectory, PrintStream err) {
    this.enforcer = enforcer;
    this.events = events;
    this.workDirectory = workDirectory;
    this.err = err;
  }

  @Override
  public synchronized byte[] read(String path) {
    Path target = allowed(Operation.READ, path);
    try {
      if (Files.size(target) > MAX_READ_BYTES) {
        throw new IllegalArgumentException(
            path + " is larger than " + MAX_READ_BYTES + " bytes, the most one read returns");
      }
      return Files.readAllBytes(target);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + path, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void write(String path, byte[] data) {
    Path target = allowed(Operation.WRITE, path);
    try {
      Files.createDirectories(target.getParent());
      Files.write(
          target,
          data,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<String> list(String directory) {
    Path target = allowed(Operation.LIST, directory);
    try (Stream<Path> s = Files.list(target)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such directory: " + directory, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized boolean exists(String path) {
    return Files.exists(allowed(Operation.READ, path), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public synchronized void delete(String path) {
    Path target = allowed(Operation.DELETE, path);
    try {
      Files.deleteIfExists(target);
    } catch (DirectoryNotEmptyException e) {
      throw new IllegalArgumentException("directory is not empty: " + path, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a program the capabilities allow, with an empty environment, in the run's private working
   * directory; its output goes to stderr so it can never corrupt a {@code --json} result.
   */
  @Override
  @SuppressForbidden(reason = "ProcessBuilder takes its working directory only as a java.io.File")
  public synchronized int exec(String path, List<String> args) {
    Path target = allowed(Operation.EXECUTE, path);
    List<String> command = new ArrayList<>();
    command.add(target.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDirectory.toFile());
    pb.environment().clear();
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      try (InputStream in = p.getInputStream()) {
        String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        output.lines().forEach(line -> err.println(path + ": " + line));
      }
      if (!p.waitFor(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(path + " did not finish in " + EXEC_TIMEOUT_SECONDS + "s");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + path, e);
    }
  }

  @Override
  public synchronized void emitEvidence(String kind, Map<String, String> fields) {
    if (kind == null || !EVIDENCE_KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException(
          "evidence kind '" + kind + "' must match " + EVIDENCE_KIND.pattern());
    }
    if (fields.size() > MAX_EVIDENCE_FIELDS) {
      throw new IllegalArgumentException("at most " + MAX_EVIDENCE_FIELDS + " evidence fields");
    }
    ObjectNode d = Json.object();
    d.put("kind", kind);
    ObjectNode f = d.putObject("fields");
    new TreeMap<>(fields)
        .forEach(
            (k, v) -> {
              if (k == null || k.isEmpty() || v == null || v.length() > MAX_EVIDENCE_VALUE) {
                throw new IllegalArgumentException(
                    "evidence field '" + k + "' is empty, null or over " + MAX_EVIDENCE_VALUE);
              }
              f.put(k, v);
            });
    events.record("EVIDENCE", d);
  }

  private Path allowed(Operation op, String path) {
    Decision decision = enforcer.check(op, path);
    if (decision.allowed()) {
      return decision.target().orElseThrow();
    }
    ObjectNode d = Json.object();
    d.put("operation", op.label());
    d.put("path", path == null ? "" : path);
    d.put("normalized", decision.normalized());
    d.put("rule", decision.rule());
    events.record("CAPABILITY_DENIED", d);
    throw new CapabilityDeniedException(op.label(), String.valueOf(path), decision.rule());
  }
}
