package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.CapabilityDeniedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Host services over an in-memory map that record every call and deny the paths it is told. */
final class FakeHost implements HostServices {
  final Map<String, byte[]> files = Collections.synchronizedMap(new TreeMap<>());
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<String> evidence = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> denied;

  FakeHost(Set<String> denied) {
    this.denied = denied;
  }

  FakeHost() {
    this(Set.of());
  }

  private void check(String operation, String path) {
    calls.add(operation + " " + path);
    if (denied.contains(path)) {
      throw new CapabilityDeniedException(operation, path, "not granted by the manifest");
    }
  }

  @Override
  public byte[] read(String path) {
    check("read", path);
    byte[] data = files.get(path);
    if (data == null) {
      throw new IllegalStateException("no such file: " + path);
    }
    return data;
  }

  @Override
  public void write(String path, byte[] data) {
    check("write", path);
    files.put(path, data.clone());
  }

  @Override
  public List<String> list(String directory) {
    check("list", directory);
    List<String> names = new ArrayList<>();
    synchronized (files) {
      for (String path : files.keySet()) {
        if (path.startsWith(directory + "/")) {
          names.add(path.substring(directory.length() + 1));
        }
      }
    }
    return names;
  }

  @Override
  public boolean exists(String path) {
    check("exists", path);
    return files.containsKey(path);
  }

  @Override
  public void delete(String path) {
    check("delete", path);
    files.remove(path);
  }

  @Override
  public int exec(String path, List<String> args) {
    check("exec", path);
    return args.size();
  }

  @Override
  public void emitEvidence(String kind, Map<String, String> fields) {
    calls.add("evidence " + kind);
    evidence.add(kind + " " + new LinkedHashMap<>(fields));
  }
}
