package dev.agentpkg.runtime.exec;

import java.util.List;
import java.util.Map;

/**
 * Everything a running module may ask of the host. Every call runs in the host JVM, even when the
 * module runs in a child JVM; the implementation checks capabilities and throws {@link
 * dev.agentpkg.api.CapabilityDeniedException} on denial. Other runtime exceptions reach the module
 * as a plain {@link RuntimeException} carrying only the message, in both isolation modes.
 */
public interface HostServices {
  byte[] read(String path);

  void write(String path, byte[] data);

  List<String> list(String directory);

  boolean exists(String path);

  void delete(String path);

  int exec(String path, List<String> args);

  void emitEvidence(String kind, Map<String, String> fields);
}
