package dev.agentpkg.integrity.manifest;

import java.util.Locale;

/** Renders untrusted text for one-line error messages. */
final class Messages {
  private static final int MAX_SHOWN = 200;

  private Messages() {}

  /**
   * Quotes a value so a hostile one cannot break the message: invisible and line-breaking
   * characters become {@code \\uXXXX} and very long values are cut.
   */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 8).append('\'');
    int shown = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (shown >= MAX_SHOWN) {
        sb.append("...(").append(value.length()).append(" chars)");
        break;
      }
      if (isInvisible(c)) {
        sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
      shown++;
    }
    return sb.append('\'').toString();
  }

  static String codePoint(int cp) {
    return String.format(Locale.ROOT, "U+%04X", cp);
  }

  private static boolean isInvisible(char c) {
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE;
  }
}
