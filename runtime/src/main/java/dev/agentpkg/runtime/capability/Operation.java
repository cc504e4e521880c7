package dev.agentpkg.runtime.capability;

import dev.agentpkg.core.UsageException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a running module asks to do with a root-relative path. */
public enum Operation {
  READ,
  WRITE,
  LIST,
  DELETE,
  EXECUTE;

  /** The lower-case name used in rules, ledger events and messages, e.g. {@code "read"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a label case-insensitively; throws {@link UsageException} naming the allowed ones. */
  public static Operation parse(String text) {
    if (text != null) {
      for (Operation op : values()) {
        if (op.label().equalsIgnoreCase(text)) {
          return op;
        }
      }
    }
    String allowed =
        Arrays.stream(values()).map(Operation::label).collect(Collectors.joining(", "));
    String shown = text == null ? "null" : "'" + text + "'";
    throw new UsageException("unknown operation " + shown + " (allowed: " + allowed + ")");
  }
}
