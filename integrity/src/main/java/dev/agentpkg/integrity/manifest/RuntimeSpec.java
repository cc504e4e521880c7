package dev.agentpkg.integrity.manifest;

import dev.agentpkg.core.UsageException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** How to run a runtime module: its entry class and its jars (payload paths of the package). */
public record RuntimeSpec(String entrypoint, List<String> classpath) {
  static final int MAX_CLASSPATH = 256;
  static final int MAX_ENTRYPOINT_LENGTH = 512;

  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "_");

  public RuntimeSpec {
    String problem = entrypointProblem(entrypoint);
    if (problem != null) {
      throw new UsageException("runtime.entrypoint " + Messages.quote(entrypoint) + " " + problem);
    }
    Objects.requireNonNull(classpath, "classpath");
    if (classpath.isEmpty()) {
      throw new UsageException("runtime.classpath is empty (list the module's jars)");
    }
    if (classpath.size() > MAX_CLASSPATH) {
      throw new UsageException(
          "runtime.classpath has " + classpath.size() + " entries (at most " + MAX_CLASSPATH + ")");
    }
    Set<String> seen = new HashSet<>();
    for (String entry : classpath) {
      String pathProblem = PathRules.problem(entry);
      if (pathProblem != null) {
        throw new UsageException(
            "runtime.classpath entry " + Messages.quote(entry) + " " + pathProblem);
      }
      if (!seen.add(entry)) {
        throw new UsageException("runtime.classpath lists " + Messages.quote(entry) + " twice");
      }
    }
    classpath = List.copyOf(classpath);
  }

  /** Null when {@code name} is a Java binary class name such as {@code a.b.Outer$Inner}. */
  private static String entrypointProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "is empty";
    }
    if (name.length() > MAX_ENTRYPOINT_LENGTH) {
      return "is longer than " + MAX_ENTRYPOINT_LENGTH + " characters";
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty()) {
        return "is not a binary class name (empty part)";
      }
      if (KEYWORDS.contains(part)) {
        return "is not a binary class name ('" + part + "' is a Java keyword)";
      }
      for (int i = 0; i < part.length(); ) {
        int cp = part.codePointAt(i);
        boolean ok =
            (i == 0 ? Character.isJavaIdentifierStart(cp) : Character.isJavaIdentifierPart(cp))
                && !Character.isIdentifierIgnorable(cp);
        if (!ok) {
          return "is not a binary class name (bad character " + Messages.codePoint(cp) + ")";
        }
        i += Character.charCount(cp);
      }
    }
    return null;
  }
}
