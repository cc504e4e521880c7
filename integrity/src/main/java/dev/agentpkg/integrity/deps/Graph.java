package dev.agentpkg.integrity.deps;

import dev.agentpkg.integrity.manifest.Dependency;
import dev.agentpkg.integrity.manifest.PackageId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The installed packages as an int-indexed graph: node {@code i} is the {@code i}-th id in sorted
 * order, so ascending indices are id order and every traversal that visits successors in index
 * order is deterministic. Edges go from a package to each installed package it depends on; edges to
 * missing packages and self-edges are left out (they are reported separately). All traversals are
 * iterative and linear in nodes plus edges, so deep chains neither overflow the stack nor slow
 * down.
 */
final class Graph {
  private final PackageId[] ids;
  private final Map<String, Integer> indexOf;
  private final int[][] succ;
  private final boolean[] selfLoop;
  private int[] comp;
  private int compCount;

  Graph(PackageIndex byId) {
    ids = new PackageId[byId.size()];
    int filled = 0;
    for (InstalledPackage p : byId.values()) {
      ids[filled++] = p.id();
    }
    Arrays.sort(ids);
    int n = ids.length;
    indexOf = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      indexOf.put(ids[i].value(), i);
    }
    succ = new int[n][];
    selfLoop = new boolean[n];
    for (int i = 0; i < n; i++) {
      List<Dependency> deps = byId.get(ids[i]).dependencies();
      int[] out = new int[deps.size()];
      int k = 0;
      for (Dependency d : deps) {
        Integer j = indexOf.get(d.id().value());
        if (j == null) {
          continue;
        }
        if (j == i) {
          selfLoop[i] = true;
          continue;
        }
        out[k++] = j;
      }
      Arrays.sort(out, 0, k);
      int distinct = 0;
      for (int m = 0; m < k; m++) {
        if (distinct == 0 || out[distinct - 1] != out[m]) {
          out[distinct++] = out[m];
        }
      }
      succ[i] = distinct == out.length ? out : Arrays.copyOf(out, distinct);
    }
  }

  int size() {
    return ids.length;
  }

  int index(PackageId id) {
    Integer i = indexOf.get(id.value());
    if (i == null) {
      throw new IllegalArgumentException("not in the graph: " + id);
    }
    return i;
  }

  PackageId id(int i) {
    return ids[i];
  }

  /** Members of every strongly connected component, each ascending; dependencies come first. */
  List<int[]> components() {
    computeComponents();
    int[] sizes = new int[compCount];
    for (int c : comp) {
      sizes[c]++;
    }
    List<int[]> members = new ArrayList<>(compCount);
    for (int c = 0; c < compCount; c++) {
      members.add(new int[sizes[c]]);
    }
    int[] fill = new int[compCount];
    for (int i = 0; i < ids.length; i++) {
      members.get(comp[i])[fill[comp[i]]++] = i;
    }
    return members;
  }

  /** True for nodes on some cycle, self-loops included. */
  boolean[] onCycle() {
    computeComponents();
    int[] sizes = new int[compCount];
    for (int c : comp) {
      sizes[c]++;
    }
    boolean[] result = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      result[i] = selfLoop[i] || sizes[comp[i]] > 1;
    }
    return result;
  }

  /**
   * A shortest cycle through {@code start} as ids, starting and ending with it ({@code A, B, A}),
   * or null. Breadth-first with successors in id order, so the same graph always yields the same
   * cycle.
   */
  List<PackageId> shortestCycle(int start) {
    int n = ids.length;
    int[] parent = new int[n];
    Arrays.fill(parent, -2);
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    parent[start] = -1;
    queue[tail++] = start;
    while (head < tail) {
      int u = queue[head++];
      for (int v : succ[u]) {
        if (v == start) {
          List<PackageId> path = new ArrayList<>();
          for (int w = u; w != -1; w = parent[w]) {
            path.add(ids[w]);
          }
          Collections.reverse(path);
          path.add(ids[start]);
          return path;
        }
        if (parent[v] == -2) {
          parent[v] = u;
          queue[tail++] = v;
        }
      }
    }
    return null;
  }

  /**
   * Dependencies first, ties by id. A cycle cannot be ordered, so each strongly connected component
   * is emitted as a block in id order once everything it depends on outside it has been emitted.
   */
  List<PackageId> topologicalOrder() {
    List<int[]> members = components();
    int[] remaining = new int[compCount];
    List<List<Integer>> dependers = new ArrayList<>(compCount);
    for (int c = 0; c < compCount; c++) {
      dependers.add(new ArrayList<>());
    }
    for (int u = 0; u < ids.length; u++) {
      for (int v : succ[u]) {
        if (comp[u] != comp[v]) {
          remaining[comp[u]]++;
          dependers.get(comp[v]).add(comp[u]);
        }
      }
    }
    // A component's smallest member is its first, and indices are id order.
    PriorityQueue<Integer> ready =
        new PriorityQueue<>(
            Math.max(1, compCount), (a, b) -> members.get(a)[0] - members.get(b)[0]);
    for (int c = 0; c < compCount; c++) {
      if (remaining[c] == 0) {
        ready.add(c);
      }
    }
    List<PackageId> order = new ArrayList<>(ids.length);
    while (!ready.isEmpty()) {
      int c = ready.poll();
      for (int m : members.get(c)) {
        order.add(ids[m]);
      }
      for (int d : dependers.get(c)) {
        if (--remaining[d] == 0) {
          ready.add(d);
        }
      }
    }
    return order;
  }

  /** Tarjan's algorithm with explicit stacks; components are numbered dependencies first. */
  private void computeComponents() {
    if (comp != null) {
      return;
    }
    int n = ids.length;
    int[] index = new int[n];
    Arrays.fill(index, -1);
    int[] low = new int[n];
    int[] next = new int[n];
    boolean[] onStack = new boolean[n];
    int[] stack = new int[n];
    int sp = 0;
    int[] call = new int[n];
    int cp = 0;
    int counter = 0;
    int[] result = new int[n];
    int count = 0;
    for (int root = 0; root < n; root++) {
      if (index[root] != -1) {
        continue;
      }
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = true;
      call[cp++] = root;
      while (cp > 0) {
        int v = call[cp - 1];
        if (next[v] < succ[v].length) {
          int w = succ[v][next[v]++];
          if (index[w] == -1) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = true;
            call[cp++] = w;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          cp--;
          if (low[v] == index[v]) {
            int w;
            do {
              w = stack[--sp];
              onStack[w] = false;
              result[w] = count;
            } while (w != v);
            count++;
          }
          if (cp > 0) {
            int u = call[cp - 1];
            low[u] = Math.min(low[u], low[v]);
          }
        }
      }
    }
    comp = result;
    compCount = count;
  }
}
