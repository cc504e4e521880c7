package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The payload path rules of SPEC 2.3, checked at pack and at install. They exist so that no archive
 * can write outside its install paths, hide a file from review or make two entries land on the same
 * file of a case-insensitive or normalising file system.
 */
public final class PathRules {
  public static final List<String> RESERVED_DIRS =
      List.of("registries", "ledger", "packages_store", ".agentpkg");

  /** Top-level names the archive format itself uses. */
  public static final List<String> RESERVED_TOP_LEVEL_FILES =
      List.of("manifest.json", "package.json");

  public static final int MAX_COMPONENT_BYTES = 255;
  public static final int MAX_PATH_BYTES = 1024;
  public static final int MAX_DEPTH = 64;

  /** Bytewise UTF-8 order, the order of archive entries and of a manifest's files. */
  public static final Comparator<String> UTF8_ORDER = PathRules::compareUtf8;

  private PathRules() {}

  /** {@code file} relative to {@code base} as a '/'-separated path, whatever the file system. */
  public static String relative(java.nio.file.Path base, java.nio.file.Path file) {
    StringBuilder sb = new StringBuilder();
    for (java.nio.file.Path part : base.relativize(file)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** Validates one payload path; throws {@code UsageException("path 'X': <rule>")}. */
  public static void validate(String path) {
    String problem = problem(path);
    if (problem != null) {
      throw new UsageException("path " + Messages.quote(path) + ": " + problem);
    }
  }

  public static boolean isValid(String path) {
    return problem(path) == null;
  }

  /**
   * Refuses paths that would land on the same file of a case-insensitive or normalising file
   * system, and a path that is a file and also a parent directory of another path.
   */
  public static void checkCollisions(Collection<String> paths) {
    String[] originals = paths.toArray(new String[0]);
    String[] folded = new String[originals.length];
    Map<String, String> files = new HashMap<>(originals.length * 2);
    for (int p = 0; p < originals.length; p++) {
      folded[p] = foldKey(originals[p]);
      String previous = files.putIfAbsent(folded[p], originals[p]);
      if (previous != null) {
        throw new UsageException(collisionMessage(previous, originals[p]));
      }
    }
    // A parent directory seen under any spelling; the value is one path below it, for the message.
    Map<String, String> dirs = new HashMap<>();
    for (int p = 0; p < originals.length; p++) {
      String key = folded[p];
      for (int i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
        dirs.putIfAbsent(key.substring(0, i), originals[p]);
      }
    }
    for (int p = 0; p < originals.length; p++) {
      String child = dirs.get(folded[p]);
      if (child != null) {
        throw new UsageException(
            "path "
                + Messages.quote(originals[p])
                + " is a file but also a directory of path "
                + Messages.quote(child));
      }
    }
  }

  /**
   * Compares the UTF-8 encodings of two strings as unsigned bytes. Sorting and checking 20,000
   * manifest paths calls this ~300,000 times, so it compares chars in place: without surrogates,
   * UTF-8 byte order is char order. A surrogate anywhere in the shared prefix or at the first
   * difference (pairs, or lone ones that the encoder turns into '?') takes the encoding route.
   */
  public static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
        return compareEncoded(a, b);
      }
      if (ca != cb) {
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  private static int compareEncoded(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String collisionMessage(String first, String second) {
    if (first.equals(second)) {
      return "path " + Messages.quote(first) + " is listed twice";
    }
    String how =
        Normalizer.normalize(first, Normalizer.Form.NFC)
                .equals(Normalizer.normalize(second, Normalizer.Form.NFC))
            ? "are the same after NFC normalisation"
            : "differ only in case";
    return "paths " + Messages.quote(first) + " and " + Messages.quote(second) + " " + how;
  }

  /**
   * Simple per-code-point case folding after NFC. Upper then lower maps e.g. 'ſ' and 'K' (Kelvin)
   * onto 's' and 'k' as case-insensitive file systems do; length-changing folds ('ß' to "ss") are
   * deliberately not applied.
   */
  static String foldKey(String path) {
    // ASCII is NFC already, and its upper-then-lower fold is plain ASCII lower case
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) >= 0x80) {
        return fullFoldKey(path);
      }
    }
    return path.toLowerCase(Locale.ROOT);
  }

  /** {@link #foldKey} without the ASCII fast path (package-private for its test). */
  static String fullFoldKey(String path) {
    String nfc = Normalizer.normalize(path, Normalizer.Form.NFC);
    StringBuilder sb = new StringBuilder(nfc.length());
    nfc.codePoints()
        .forEach(cp -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
    return sb.toString();
  }

  /** Returns why {@code path} is not a valid payload path, or null when it is. */
  static String problem(String path) {
    String common = relativePathProblem(path);
    if (common != null) {
      return common;
    }
    int slash = path.indexOf('/');
    String first = (slash < 0 ? path : path.substring(0, slash)).toLowerCase(Locale.ROOT);
    if (RESERVED_DIRS.contains(first)) {
      return "is under the reserved directory '" + first + "'";
    }
    if (slash < 0 && RESERVED_TOP_LEVEL_FILES.contains(first)) {
      return "'" + first + "' at the top level is reserved for the archive format";
    }
    return null;
  }

  /**
   * The rules a payload path and a capability pattern share: relative, '/'-separated, printable NFC
   * text, no empty, '.' or '..' component, bounded lengths and depth.
   */
  static String relativePathProblem(String path) {
    return isPlainAsciiAndValid(path) ? null : fullRulesProblem(path);
  }

  /** {@link #relativePathProblem} without the fast path (package-private for its test). */
  static String fullRulesProblem(String path) {
    if (path == null || path.isEmpty()) {
      return "is empty";
    }
    if (path.length() > 4 * MAX_PATH_BYTES) {
      // Bounds the work on hostile input; a char is at least one UTF-8 byte.
      return "is longer than " + MAX_PATH_BYTES + " bytes";
    }
    for (int i = 0; i < path.length(); ) {
      int cp = path.codePointAt(i);
      String bad = badCharacter(cp);
      if (bad != null) {
        return bad;
      }
      i += Character.charCount(cp);
    }
    if (path.startsWith("/")) {
      return "is absolute (must be relative to the root)";
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0))) {
      return "starts with a Windows drive prefix";
    }
    if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
      return "is not NFC-normalised";
    }
    int totalBytes = path.getBytes(StandardCharsets.UTF_8).length;
    if (totalBytes > MAX_PATH_BYTES) {
      return "is " + totalBytes + " bytes long (at most " + MAX_PATH_BYTES + ")";
    }
    String[] components = path.split("/", -1);
    if (components.length > MAX_DEPTH) {
      return "is " + components.length + " components deep (at most " + MAX_DEPTH + ")";
    }
    for (String component : components) {
      if (component.isEmpty()) {
        return "has an empty component";
      }
      if (component.equals(".") || component.equals("..")) {
        return "has a '" + component + "' component";
      }
      int bytes = component.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_COMPONENT_BYTES) {
        return "has a component of " + bytes + " bytes (at most " + MAX_COMPONENT_BYTES + ")";
      }
    }
    return null;
  }

  /**
   * One pass that accepts the common case, a printable-ASCII path obeying every rule below, without
   * the NFC check, UTF-8 encoding and split the full rules cost (a 20,000-file package's paths are
   * checked several times per command). False means "not sure": the full rules then decide and name
   * the problem.
   */
  private static boolean isPlainAsciiAndValid(String path) {
    int n = path == null ? 0 : path.length();
    if (n == 0 || n > MAX_PATH_BYTES || path.charAt(0) == '/') {
      return false;
    }
    if (n >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0))) {
      return false;
    }
    int components = 1;
    int start = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? path.charAt(i) : '/';
      if (c == '/') {
        int len = i - start;
        if (len == 0 || len > MAX_COMPONENT_BYTES) {
          return false;
        }
        if (path.charAt(start) == '.'
            && (len == 1 || (len == 2 && path.charAt(start + 1) == '.'))) {
          return false;
        }
        if (i < n && ++components > MAX_DEPTH) {
          return false;
        }
        start = i + 1;
      } else if (c < 0x20 || c > 0x7e || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static String badCharacter(int cp) {
    if (cp == '\\') {
      return "contains a backslash (use '/')";
    }
    if (cp == 0) {
      return "contains a NUL character";
    }
    switch (Character.getType(cp)) {
      case Character.CONTROL:
        return "contains control character " + Messages.codePoint(cp);
      case Character.SURROGATE:
        return "contains an unpaired surrogate " + Messages.codePoint(cp);
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return "contains line separator " + Messages.codePoint(cp);
      case Character.FORMAT:
        // Invisible characters such as U+202E (right-to-left override) disguise names in review.
        return "contains invisible format character " + Messages.codePoint(cp);
      default:
        return null;
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
