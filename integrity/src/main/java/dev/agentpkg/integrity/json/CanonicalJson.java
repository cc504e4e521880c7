package dev.agentpkg.integrity.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON as the spec defines it: UTF-8, object keys sorted, no insignificant whitespace,
 * integers only. Hashes and signatures cover these bytes, so the same value always gives the same
 * bytes whatever order or spacing it was read with.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  public static String string(JsonNode node) {
    StringBuilder sb = new StringBuilder(256);
    write(node, sb);
    return sb.toString();
  }

  private static void write(JsonNode node, StringBuilder sb) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          fields.add(it.next());
        }
        fields.sort(Map.Entry.comparingByKey());
        sb.append('{');
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          writeString(fields.get(i).getKey(), sb);
          sb.append(':');
          write(fields.get(i).getValue(), sb);
        }
        sb.append('}');
      }
      case ARRAY -> {
        sb.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(node.get(i), sb);
        }
        sb.append(']');
      }
      case STRING -> writeString(node.textValue(), sb);
      case NUMBER -> {
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
          throw new IllegalArgumentException("canonical JSON allows integers only, got " + node);
        }
        sb.append(node.longValue());
      }
      case BOOLEAN -> sb.append(node.booleanValue());
      case NULL -> sb.append("null");
      default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    // most strings (paths, hashes, ids) need no escape: one scan, one bulk append
    int first = 0;
    while (first < s.length()
        && s.charAt(first) >= 0x20
        && s.charAt(first) != '"'
        && s.charAt(first) != '\\') {
      first++;
    }
    sb.append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xf, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
