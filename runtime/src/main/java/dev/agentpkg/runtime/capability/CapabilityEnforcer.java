package dev.agentpkg.runtime.capability;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.manifest.Capabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides whether a running module may perform an operation on a path (SPEC 6). The system this
 * replaces matched globs on raw paths, so {@code ..} walked past them, and tested containment with
 * a string prefix, so {@code <root>2} counted as inside {@code <root>}. Here, in order:
 *
 * <ol>
 *   <li>The path must be root-relative ({@code /} separators, no NUL, no backslash, not absolute)
 *       and is normalised lexically first; one that climbs above the root is denied.
 *   <li>Reserved directories ({@code registries/}, {@code ledger/}, {@code packages_store/}, {@code
 *       .agentpkg/}, first segment compared case-insensitively) are never writable or deletable;
 *       {@code .agentpkg/} (locks, journals, staging) is not even readable. Reading {@code ledger/}
 *       or {@code registries/} needs a read rule like any other path.
 *   <li>A file an installed package owns is never writable or deletable.
 *   <li>A {@code forbidden} pattern matching the path or any of its ancestors denies; forbidden
 *       always wins.
 *   <li>Otherwise the operation's list must match the path exactly: read for read, write for write
 *       and delete, execute for execute. Listing a directory needs a read pattern that matches it
 *       or could match something below it.
 *   <li>Symbolic links are resolved component by component on the real file system; the real target
 *       must lie inside the real root ({@link Path#startsWith}, never a string prefix), a dangling
 *       link is denied, and when the real path differs from the requested one, steps 2–5 run again
 *       on it, so a link in an allowed directory cannot reach a forbidden or reserved one.
 * </ol>
 *
 * The allowed {@link Decision} carries the resolved real path to operate on.
 */
public final class CapabilityEnforcer {
  static final Set<String> RESERVED = Set.of("registries", "ledger", "packages_store", ".agentpkg");
  static final String PRIVATE = ".agentpkg";

  private final Path root;
  private final Predicate<String> isInstalledFile;
  private final List<Glob> read;
  private final List<Glob> write;
  private final List<Glob> execute;
  private final List<Glob> forbidden;

  /**
   * @param isInstalledFile whether some installed package owns a root-relative path
   */
  public CapabilityEnforcer(
      Path root, Capabilities capabilities, Predicate<String> isInstalledFile) {
    this.root = Objects.requireNonNull(root, "root");
    this.isInstalledFile = Objects.requireNonNull(isInstalledFile, "isInstalledFile");
    this.read = globs(capabilities.read());
    this.write = globs(capabilities.write());
    this.execute = globs(capabilities.execute());
    this.forbidden = globs(capabilities.forbidden());
  }

  public Decision check(Operation op, String path) {
    Objects.requireNonNull(op, "operation");
    String problem = lexicalProblem(path);
    if (problem != null) {
      return Decision.deny(op, path, "", problem);
    }
    List<String> segments = normalise(path);
    if (segments == null) {
      return Decision.deny(op, path, "", "outside the root");
    }
    String rel = String.join("/", segments);
    Decision byRules = rules(op, path, rel, segments);
    if (!byRules.allowed()) {
      return byRules;
    }
    Path realRoot = realPath(root);
    Resolved resolved = resolve(realRoot, segments);
    if (resolved.problem != null) {
      return Decision.deny(op, path, rel, resolved.problem);
    }
    List<String> realSegments = new ArrayList<>();
    realRoot.relativize(resolved.path).forEach(p -> realSegments.add(p.toString()));
    if (resolved.path.equals(realRoot)) {
      realSegments.clear();
    }
    String realRel = String.join("/", realSegments);
    if (!realRel.equals(rel)) {
      Decision again = rules(op, path, realRel, realSegments);
      if (!again.allowed()) {
        return Decision.deny(
            op, path, rel, "symbolic link to " + display(realRel) + ": " + again.rule());
      }
    }
    return new Decision(true, op, path, rel, byRules.rule(), Optional.of(resolved.path));
  }

  private Decision rules(Operation op, String requested, String rel, List<String> segments) {
    if (segments.isEmpty() && op.mutates()) {
      return Decision.deny(op, requested, rel, "the root itself is never writable");
    }
    if (!segments.isEmpty()) {
      String top = segments.get(0).toLowerCase(Locale.ROOT);
      if (top.equals(PRIVATE)) {
        return Decision.deny(
            op, requested, rel, "reserved directory .agentpkg/ is private to agentpkg");
      }
      if (RESERVED.contains(top) && op.mutates()) {
        return Decision.deny(
            op, requested, rel, "reserved directory " + top + "/ is never writable");
      }
    }
    if (op.mutates() && isInstalledFile.test(rel)) {
      return Decision.deny(op, requested, rel, "installed file of a package is never writable");
    }
    for (Glob g : forbidden) {
      for (int k = segments.size(); k >= 1; k--) {
        if (g.matches(segments.subList(0, k))) {
          return Decision.deny(op, requested, rel, "forbidden: " + g.pattern());
        }
      }
    }
    List<Glob> allow =
        switch (op) {
          case READ, LIST -> read;
          case WRITE, DELETE -> write;
          case EXECUTE -> execute;
        };
    for (Glob g : allow) {
      if (g.matches(segments) || (op == Operation.LIST && g.couldMatchBelow(segments))) {
        return new Decision(
            true, op, requested, rel, op.list() + ": " + g.pattern(), Optional.of(root));
      }
    }
    return Decision.deny(op, requested, rel, "no " + op.list() + " rule matches");
  }

  private record Resolved(Path path, String problem) {}

  /** Follows the path one component at a time from the real root, resolving each link. */
  private static Resolved resolve(Path realRoot, List<String> segments) {
    Path current = realRoot;
    for (int i = 0; i < segments.size(); i++) {
      Path next = current.resolve(segments.get(i));
      String soFar = String.join("/", segments.subList(0, i + 1));
      if (Files.isSymbolicLink(next)) {
        if (!Files.exists(next)) {
          return new Resolved(null, "dangling symbolic link at " + soFar);
        }
        next = realPath(next);
        if (!next.startsWith(realRoot)) {
          return new Resolved(null, "symbolic link at " + soFar + " leads outside the root");
        }
      } else if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        // nothing below a missing component exists yet, so no link can redirect it
        for (int j = i; j < segments.size(); j++) {
          current = current.resolve(segments.get(j));
        }
        return new Resolved(current, null);
      }
      current = next;
    }
    return new Resolved(current, null);
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new StorageException("cannot resolve " + p + ": " + e.getMessage(), e);
    }
  }

  static String lexicalProblem(String path) {
    if (path == null || path.isEmpty()) {
      return "invalid path: empty";
    }
    if (path.indexOf('\0') >= 0) {
      return "invalid path: NUL character";
    }
    if (path.indexOf('\\') >= 0) {
      return "invalid path: backslash (paths use /)";
    }
    if (path.startsWith("/")
        || (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0)))) {
      return "absolute path (paths are relative to the root)";
    }
    return null;
  }

  /** Lexical normalisation; null when the path climbs above the root. */
  static List<String> normalise(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (out.isEmpty()) {
          return null;
        }
        out.remove(out.size() - 1);
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static String display(String rel) {
    return rel.isEmpty() ? "the root" : rel;
  }

  private static List<Glob> globs(List<String> patterns) {
    return patterns.stream().map(Glob::new).toList();
  }
}
