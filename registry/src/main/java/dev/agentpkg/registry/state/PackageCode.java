package dev.agentpkg.registry.state;

import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which installed code a package may see. A module's class loader holds its own jars and those of
 * every package it depends on, directly or not, because a dependency's classes refer to its own
 * dependencies' classes.
 */
public final class PackageCode {
  private PackageCode() {}

  public static boolean isJar(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".jar");
  }

  /**
   * The installed packages reachable from {@code direct}, breadth first (nearest first), each once;
   * a dependency that is not installed is skipped (the installer and {@code integrity check} report
   * it).
   */
  public static List<PackageRecord> dependencyClosure(
      List<Dependency> direct, List<PackageRecord> installed) {
    Map<PackageId, PackageRecord> byId =
        installed.stream().collect(Collectors.toMap(PackageRecord::id, Function.identity()));
    Set<PackageId> seen = new LinkedHashSet<>();
    Deque<Dependency> queue = new ArrayDeque<>(direct);
    List<PackageRecord> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      Dependency d = queue.removeFirst();
      PackageRecord r = byId.get(d.id());
      if (r != null && seen.add(d.id())) {
        out.add(r);
        queue.addAll(r.dependencies());
      }
    }
    return out;
  }
}
