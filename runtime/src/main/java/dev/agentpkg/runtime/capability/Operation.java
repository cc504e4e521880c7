package dev.agentpkg.runtime.capability;

import dev.agentpkg.core.UsageException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a module asks to do with a path; each maps to one capability list (SPEC 6). */
public enum Operation {
  READ,
  WRITE,
  LIST,
  DELETE,
  EXECUTE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Operation parse(String text) {
    for (Operation op : values()) {
      if (op.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return op;
      }
    }
    throw new UsageException(
        "unknown operation '"
            + text
            + "' (one of "
            + Arrays.stream(values()).map(Operation::label).collect(Collectors.joining(", "))
            + ")");
  }

  /** The capability list that grants this operation. */
  String list() {
    return switch (this) {
      case READ, LIST -> "read";
      case WRITE, DELETE -> "write";
      case EXECUTE -> "execute";
    };
  }

  boolean mutates() {
    return this == WRITE || this == DELETE;
  }
}
