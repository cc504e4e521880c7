package dev.agentpkg.integrity.archive;

import java.nio.charset.StandardCharsets;

/**
 * The fixed safety rules every entry name obeys, whatever the limits: they decide whether a name
 * could escape the extraction directory or mean different things on different systems, so the
 * writer and the reader share them.
 */
final class ArchivePaths {
  static final int MAX_COMPONENT_BYTES = 255;

  private ArchivePaths() {}

  /** Returns why {@code path} is unsafe, or null when it is a safe relative path. */
  static String unsafeReason(String path) {
    if (path.isEmpty()) {
      return "empty name";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return "NUL in name";
      }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return "control character in name";
      }
      if (c == '\\') {
        return "backslash in name";
      }
    }
    if (path.charAt(0) == '/') {
      return "absolute name";
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0))) {
      return "drive letter in name";
    }
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      String component = slash < 0 ? path.substring(start) : path.substring(start, slash);
      if (component.isEmpty()) {
        return "empty path component";
      }
      if (component.equals(".") || component.equals("..")) {
        return "'" + component + "' path component";
      }
      if (component.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
        return "path component longer than " + MAX_COMPONENT_BYTES + " bytes";
      }
      if (slash < 0) {
        return null;
      }
      start = slash + 1;
    }
  }

  static int depth(String path) {
    int depth = 1;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
