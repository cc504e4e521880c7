package dev.agentpkg.runtime.capability;

import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.manifest.Capabilities;
import dev.agentpkg.integrity.manifest.PathRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The single place that decides whether a running module may touch a path (SPEC 6). Every call
 * returns a {@link Decision}; a denial is never an exception, so the caller can record it in the
 * ledger before it throws in the module.
 *
 * <p>The rules, in order; the first that denies decides:
 *
 * <ol>
 *   <li><b>Normalise first.</b> A path is root-relative with {@code /} separators. Null, NUL and
 *       other control characters, backslashes, absolute paths ({@code /x}) and Windows drive forms
 *       ({@code C:...}) are invalid. {@code .}, {@code ..} and duplicate slashes are resolved
 *       lexically; a path that climbs above the root is "outside the root". All later rules see
 *       only the normalised path, so {@code data/../secrets/k} is checked as {@code secrets/k}.
 *       {@code ""} and {@code .} name the root itself, which can only be listed.
 *   <li><b>Reserved directories</b> ({@code registries/}, {@code ledger/}, {@code packages_store/},
 *       {@code .agentpkg/}, first segment compared case-insensitively so a case-insensitive file
 *       system cannot be used to step around them): never written or deleted. {@code .agentpkg/}
 *       (locks, journals, staging) is not even readable or listable. The others are readable only
 *       through a read rule, like any other path.
 *   <li><b>Installed files:</b> a path that {@code isInstalledFile} claims is never written or
 *       deleted, whoever owns it.
 *   <li><b>Forbidden</b> patterns deny a path they match and every path below a directory they
 *       match ({@code secrets} forbids {@code secrets/k}). They match case-insensitively, because
 *       here matching too much is the safe side. Forbidden wins over every allow rule.
 *   <li><b>Allow lists:</b> READ uses {@code read}, WRITE and DELETE use {@code write}, EXECUTE
 *       uses {@code execute}; a pattern allows exactly the paths it matches (no implicit
 *       descendants). LIST of a directory is allowed when a read pattern matches it or could match
 *       an entry below it, so {@code ledger/*.jsonl} allows listing {@code ledger} and the root.
 *       Anything else is denied.
 *   <li><b>Globs:</b> {@code *} is any run of characters within a segment, a whole segment {@code
 *       **} is zero or more segments ({@code a/**}{@code /b} matches {@code a/b} and {@code
 *       a/x/y/b}).
 *   <li><b>Symbolic links:</b> once the lexical rules allow, the real target is resolved: {@code
 *       toRealPath()} of the path, or for a path that does not exist yet the real path of its
 *       nearest existing ancestor plus the missing segments. A dangling (or looping) link anywhere
 *       on the way is denied. The target must lie inside the real root by {@link Path#startsWith}
 *       (never a string prefix, so {@code /x/root2} is not inside {@code /x/root}). When the real
 *       root-relative path differs from the normalised one, rules 2 to 5 run again on it and must
 *       allow too, so a link in an allowed directory cannot lead to a reserved, installed or
 *       forbidden path; the denial names the link.
 * </ol>
 *
 * <p>{@link Decision#target()} is the resolved real path; the caller operates on it rather than on
 * the requested path, which leaves only the window between this check and the operation itself.
 * Only an unexpected I/O error while resolving throws, as a {@link StorageException}.
 */
public final class CapabilityEnforcer {
  private static final int MAX_REQUEST_CHARS = 4 * PathRules.MAX_PATH_BYTES;
  private static final String PRIVATE_DIR = ".agentpkg";

  private final Path root;
  private final Predicate<String> isInstalledFile;
  private final List<Glob> read;
  private final List<Glob> write;
  private final List<Glob> execute;
  private final List<Glob> forbidden;

  /**
   * @param root the root directory (real file system or Jimfs)
   * @param capabilities the module's declared capabilities, already validated
   * @param isInstalledFile root-relative path to true if some installed package owns that file
   */
  public CapabilityEnforcer(
      Path root, Capabilities capabilities, Predicate<String> isInstalledFile) {
    this.root = Objects.requireNonNull(root, "root");
    Objects.requireNonNull(capabilities, "capabilities");
    this.isInstalledFile = Objects.requireNonNull(isInstalledFile, "isInstalledFile");
    this.read = capabilities.read().stream().map(Glob::exact).toList();
    this.write = capabilities.write().stream().map(Glob::exact).toList();
    this.execute = capabilities.execute().stream().map(Glob::exact).toList();
    this.forbidden = capabilities.forbidden().stream().map(Glob::ignoringCase).toList();
  }

  /**
   * Decides whether {@code op} on the root-relative {@code path} is allowed; never throws a denial.
   */
  public Decision check(Operation op, String path) {
    Objects.requireNonNull(op, "op");
    String problem = invalidity(path);
    if (problem != null) {
      return Decision.deny(op, path, "", problem);
    }
    List<String> segments = normalise(path);
    if (segments == null) {
      return Decision.deny(op, path, "", "outside the root");
    }
    String normalized = String.join("/", segments);
    Verdict lexical = rules(op, segments, normalized);
    if (!lexical.allowed()) {
      return Decision.deny(op, path, normalized, lexical.rule());
    }
    Path realRoot = realPath(root, "the root");
    Path target = realRoot;
    int existing = segments.size();
    // Walk up to the nearest path that exists when links are followed; anything on the way that
    // is itself a link then points nowhere (or into a loop), and a write would create its target.
    for (; existing > 0; existing--) {
      Path candidate = resolve(root, segments.subList(0, existing));
      if (Files.exists(candidate)) {
        target = realPath(candidate, String.join("/", segments.subList(0, existing)));
        break;
      }
      if (Files.isSymbolicLink(candidate)) {
        return Decision.deny(
            op,
            path,
            normalized,
            "dangling symbolic link: " + String.join("/", segments.subList(0, existing)));
      }
    }
    target = resolve(target, segments.subList(existing, segments.size()));
    if (!target.startsWith(realRoot)) {
      return Decision.deny(
          op,
          path,
          normalized,
          "symbolic link leads outside the root: " + link(segments).orElse(normalized));
    }
    List<String> realSegments = new ArrayList<>();
    for (Path name : realRoot.relativize(target)) {
      if (!name.toString().isEmpty()) {
        realSegments.add(name.toString());
      }
    }
    String real = String.join("/", realSegments);
    if (!real.equals(normalized)) {
      Verdict again = rules(op, realSegments, real);
      if (!again.allowed()) {
        return Decision.deny(
            op,
            path,
            normalized,
            link(segments).map(l -> "symbolic link " + l).orElse("path " + normalized)
                + " leads to "
                + shown(real)
                + ": "
                + again.rule());
      }
    }
    return Decision.allow(op, path, normalized, lexical.rule(), target);
  }

  /** Rules 2 to 5 on one normalised path. */
  private Verdict rules(Operation op, List<String> segments, String path) {
    boolean mutates = op == Operation.WRITE || op == Operation.DELETE;
    if (segments.isEmpty() && op != Operation.LIST) {
      return Verdict.deny("the root itself can only be listed");
    }
    if (!segments.isEmpty()) {
      String first = segments.get(0).toLowerCase(Locale.ROOT);
      if (PathRules.RESERVED_DIRS.contains(first)) {
        if (mutates) {
          return Verdict.deny("reserved directory " + first + "/ is never writable");
        }
        if (first.equals(PRIVATE_DIR)) {
          return Verdict.deny("reserved directory " + first + "/ is private");
        }
      }
    }
    if (mutates && isInstalledFile.test(path)) {
      return Verdict.deny("installed file of a package is never writable");
    }
    for (Glob glob : forbidden) {
      for (int end = segments.size(); end >= 0; end--) {
        if (glob.matches(segments.subList(0, end))) {
          return Verdict.deny("forbidden: " + glob.text());
        }
      }
    }
    String list =
        switch (op) {
          case READ, LIST -> "read";
          case WRITE, DELETE -> "write";
          case EXECUTE -> "execute";
        };
    List<Glob> allow =
        switch (op) {
          case READ, LIST -> read;
          case WRITE, DELETE -> write;
          case EXECUTE -> execute;
        };
    for (Glob glob : allow) {
      if (glob.matches(segments) || (op == Operation.LIST && glob.couldMatchBelow(segments))) {
        return new Verdict(true, list + ": " + glob.text());
      }
    }
    return Verdict.deny("no " + list + " rule matches");
  }

  /** Why the request is not a usable root-relative path, or null. */
  private static String invalidity(String path) {
    if (path == null) {
      return "invalid path: null";
    }
    if (path.length() > MAX_REQUEST_CHARS) {
      return "invalid path: longer than " + MAX_REQUEST_CHARS + " characters";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return "invalid path: contains a NUL character";
      }
      if (c == '\\') {
        return "invalid path: contains a backslash (use '/')";
      }
      if (Character.isISOControl(c)) {
        return String.format(
            Locale.ROOT, "invalid path: contains control character U+%04X", (int) c);
      }
    }
    if (path.startsWith("/")) {
      return "absolute path";
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0))) {
      return "absolute path (Windows drive)";
    }
    return null;
  }

  /**
   * The segments of the path with '.', '..' and empty segments resolved, or null above the root.
   */
  private static List<String> normalise(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          return null;
        }
        segments.remove(segments.size() - 1);
      } else {
        segments.add(segment);
      }
    }
    return segments;
  }

  /**
   * The first segment prefix that is a symbolic link, to name it in a denial; empty when the real
   * path differs for another reason, e.g. a case-insensitive file system spelling a name otherwise.
   */
  private Optional<String> link(List<String> segments) {
    for (int end = 1; end <= segments.size(); end++) {
      List<String> prefix = segments.subList(0, end);
      if (Files.isSymbolicLink(resolve(root, prefix))) {
        return Optional.of(String.join("/", prefix));
      }
    }
    return Optional.empty();
  }

  private static Path resolve(Path base, List<String> segments) {
    Path path = base;
    for (String segment : segments) {
      path = path.resolve(segment);
    }
    return path;
  }

  private static Path realPath(Path path, String what) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new StorageException("cannot resolve " + what + " (" + path + "): " + e, e);
    }
  }

  private static String shown(String real) {
    return real.isEmpty() ? "the root" : real;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private record Verdict(boolean allowed, String rule) {
    static Verdict deny(String rule) {
      return new Verdict(false, rule);
    }
  }
}
