package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.ledger.LedgerHead;
import dev.agentpkg.integrity.ledger.LedgerReport;
import dev.agentpkg.integrity.ledger.LedgerVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A fixture's whole temp dir (the root, a sibling {@code outside/} dir with a target directory and
 * a victim file, and the archives) and the invariants every refused install must keep: nothing
 * written anywhere except the ledger and its recorded head, staging left empty, exactly one {@code
 * INSTALL_FAILED} ledger line for an authenticated actor, an intact chain, one JSON error document
 * on stdout, and the problem named on stderr, all within a few seconds.
 */
final class InstallWorld {
  /** Generous for a loaded 2-core machine; a refusal itself should take a second or two. */
  static final Duration MAX_REFUSAL = Duration.ofSeconds(10);

  static final String LEDGER = "root/ledger/governance.jsonl";
  static final String LEDGER_HEAD = "root/registries/ledger_head.csv";
  static final String STAGING = "root/.agentpkg/staging";
  static final String LOCK = "root/.agentpkg/lock";

  final Fixture fx;
  final Path dir;
  final Path root;
  final Path outside;

  InstallWorld(Path dir) throws IOException {
    this.dir = dir;
    this.fx = new Fixture(dir);
    this.root = fx.root;
    this.outside = dir.resolve("outside");
    Files.createDirectories(outside.resolve("target"));
    Files.writeString(outside.resolve("victim.txt"), "precious\n");
  }

  /**
   * Skips a suite while the jar has no {@code install} command yet (these suites were written to
   * land with it); once {@code agentpkg --help} lists it, every test runs.
   */
  static void assumeInstallExists(Path dir) {
    String help = new Agentpkg(dir).run("--help").expect(0).out();
    Assumptions.assumeTrue(
        help.lines().anyMatch(l -> l.matches("\\s+install\\b.*")),
        "agentpkg has no install command yet");
  }

  /** {@code agp_<id>_<secret>}: the id the ledger records. */
  static String tokenId(String token) {
    return token.substring(4, token.indexOf('_', 4));
  }

  String adminId() {
    return tokenId(fx.adminToken);
  }

  /** One path as seen without following links. */
  record Node(String kind, String perms, long size, String sha256, String target) {}

  /** What a refusal is compared against. */
  record Before(Map<String, Node> tree, List<String> ledger) {}

  Before before() {
    return new Before(snapshot(), ledgerLines());
  }

  /** Runs {@code agentpkg <args> --json}, timed. */
  Timed run(String... args) {
    String[] withJson = new String[args.length + 1];
    System.arraycopy(args, 0, withJson, 0, args.length);
    withJson[args.length] = "--json";
    long t0 = System.nanoTime();
    Agentpkg.Result r = fx.cli.run(withJson);
    return new Timed(r, Duration.ofNanos(System.nanoTime() - t0));
  }

  record Timed(Agentpkg.Result result, Duration elapsed) {}

  /**
   * Asserts every refusal invariant. {@code actorTokenId} is the token id the INSTALL_FAILED event
   * must carry, or null when the token never authenticated and no ledger line may appear.
   */
  void assertRefused(
      Before before,
      Timed run,
      Collection<Integer> exits,
      Collection<String> stderrAnyOf,
      String actorTokenId) {
    Agentpkg.Result r = run.result();
    String ctx = "\nargs: " + r.args() + "\nstdout: " + r.out() + "\nstderr: " + r.err();
    assertThat(r.code()).as("exit code" + ctx).isIn(exits);
    assertThat(run.elapsed()).as("time to refuse" + ctx).isLessThan(MAX_REFUSAL);
    assertThat(r.err()).as("stderr names the problem" + ctx).contains("agentpkg: error:");
    assertThat(r.err())
        .as("stderr names the problem" + ctx)
        .containsAnyOf(stderrAnyOf.toArray(new String[0]));
    JsonNode doc = r.json();
    assertThat(doc.path("schema").asText())
        .as("error document" + ctx)
        .isEqualTo("agentpkg/error/v1");
    assertThat(doc.path("error").path("exit_code").asInt())
        .as("error document" + ctx)
        .isEqualTo(r.code());

    assertNothingWrittenOutsideStaging(before, ctx);
    assertStagingEmpty(ctx);

    List<String> after = ledgerLines();
    assertThat(after.subList(0, Math.min(after.size(), before.ledger().size())))
        .as("earlier ledger lines untouched" + ctx)
        .isEqualTo(before.ledger());
    if (actorTokenId == null) {
      assertThat(after)
          .as("no ledger line for an unauthenticated actor" + ctx)
          .hasSameSizeAs(before.ledger());
    } else {
      assertThat(after).as("exactly one new ledger line" + ctx).hasSize(before.ledger().size() + 1);
      JsonNode event = parse(after.get(after.size() - 1));
      assertThat(event.path("event").asText())
          .as("the new ledger line" + ctx)
          .isEqualTo("INSTALL_FAILED");
      assertThat(event.path("actor").path("token_id").asText())
          .as("the actor of INSTALL_FAILED" + ctx)
          .isEqualTo(actorTokenId);
      assertThat(after.get(after.size() - 1))
          .as("no secret in the ledger")
          .doesNotContain(fx.adminToken);
    }
    assertLedgerIntact(ctx);
  }

  /** For --dry-run: nothing changed at all, ledger included. */
  void assertUntouched(Before before, String ctx) {
    Map<String, Node> now = snapshot();
    List<String> diff = diff(before.tree(), now, Set.of());
    assertThat(diff).as("changes" + ctx).isEmpty();
    assertStagingEmpty(ctx);
    assertThat(ledgerLines()).as("ledger" + ctx).isEqualTo(before.ledger());
  }

  void assertNothingWrittenOutsideStaging(Before before, String ctx) {
    List<String> diff = diff(before.tree(), snapshot(), Set.of(LEDGER, LEDGER_HEAD));
    assertThat(diff).as("paths changed outside .agentpkg/staging/" + ctx).isEmpty();
  }

  void assertStagingEmpty(String ctx) {
    Path staging = dir.resolve(STAGING);
    if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
      assertThat(Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS))
          .as("staging is a directory")
          .isTrue();
      try (Stream<Path> s = Files.walk(staging)) {
        assertThat(s.filter(p -> !p.equals(staging)).map(Path::toString).toList())
            .as(".agentpkg/staging/ left behind" + ctx)
            .isEmpty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The chain and the head the registry recorded, checked in-process like `ledger verify`. */
  void assertLedgerIntact(String ctx) {
    Optional<LedgerHead> head = Optional.empty();
    Path headFile = dir.resolve(LEDGER_HEAD);
    try {
      if (Files.exists(headFile)) {
        List<String> lines = Files.readAllLines(headFile, StandardCharsets.UTF_8);
        if (lines.size() > 1) {
          String[] cells = lines.get(1).split(",", 2);
          head = Optional.of(new LedgerHead(Long.parseLong(cells[0]), cells[1].replace("\"", "")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LedgerReport report = LedgerVerifier.verify(ledgerLines(), head);
    assertThat(report.ok()).as("ledger chain intact: " + report + ctx).isTrue();
  }

  List<String> ledgerLines() {
    try {
      return Files.readAllLines(dir.resolve(LEDGER), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** New ledger events since {@code before}, by name. */
  List<String> newEvents(Before before) {
    List<String> after = ledgerLines();
    List<String> events = new ArrayList<>();
    for (String line : after.subList(before.ledger().size(), after.size())) {
      events.add(parse(line).path("event").asText());
    }
    return events;
  }

  JsonNode lastEvent() {
    List<String> lines = ledgerLines();
    return parse(lines.get(lines.size() - 1));
  }

  static JsonNode parse(String line) {
    try {
      return Agentpkg.JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /**
   * Every path under the temp dir, links not followed. Left out: the runner's transient output
   * files, the launcher's CDS cache, staging (checked to be empty separately) and the lock file's
   * content (a holder is written and cleared by every command).
   */
  Map<String, Node> snapshot() {
    Map<String, Node> tree = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (rel.isEmpty() || ignored(rel)) {
          continue;
        }
        tree.put(rel, node(p, rel));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tree;
  }

  private static boolean ignored(String rel) {
    if (rel.equals(".cds") || rel.startsWith(".cds/")) {
      return true;
    }
    if (!rel.contains("/") && (rel.startsWith(".out") || rel.startsWith(".err"))) {
      return true;
    }
    return rel.equals(STAGING) || rel.startsWith(STAGING + "/");
  }

  private static Node node(Path p, String rel) throws IOException {
    PosixFileAttributes a =
        Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String perms = PosixFilePermissions.toString(a.permissions());
    if (a.isSymbolicLink()) {
      return new Node("symlink", "", 0, "", Files.readSymbolicLink(p).toString());
    }
    if (a.isDirectory()) {
      return new Node("dir", perms, 0, "", "");
    }
    if (a.isRegularFile()) {
      if (rel.equals(LOCK)) {
        return new Node("file", perms, 0, "", "");
      }
      String sha;
      try (var in = Files.newInputStream(p)) {
        sha = Sha256.hex(in);
      }
      return new Node("file", perms, a.size(), sha, "");
    }
    return new Node("other", perms, a.size(), "", "");
  }

  static List<String> diff(Map<String, Node> before, Map<String, Node> after, Set<String> allowed) {
    List<String> out = new ArrayList<>();
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String k : keys) {
      if (allowed.contains(k)) {
        continue;
      }
      Node b = before.get(k);
      Node a = after.get(k);
      if (b == null) {
        out.add("added " + k + " " + a);
      } else if (a == null) {
        out.add("removed " + k);
      } else if (!a.equals(b)) {
        out.add("changed " + k + ": " + b + " -> " + a);
      }
    }
    return out;
  }
}
