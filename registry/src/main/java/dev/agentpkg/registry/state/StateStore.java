package dev.agentpkg.registry.state;

import dev.agentpkg.core.Handoff;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Root;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The installed state of a root: the registry and file ownership together, changed one package at a
 * time. Callers hold the root lock.
 */
public final class StateStore {
  /** Below this a second thread costs more than it saves. */
  private static final int PARALLEL_FROM = 2_000;

  private final PackageRegistry registry;
  private final FileOwnership ownership;

  public StateStore(Root root) {
    this.registry = new PackageRegistry(root);
    this.ownership = new FileOwnership(root);
  }

  public PackageRegistry registry() {
    return registry;
  }

  public FileOwnership ownership() {
    return ownership;
  }

  /**
   * The package's registry row and file list as stored now. After a crash the two may disagree (a
   * file list without a row); the state is returned as found.
   */
  public PackageState read(PackageId id) {
    return new PackageState(id, registry.find(id), ownership.files(id));
  }

  /**
   * Makes the root's registry say exactly {@code target} for {@code target.id()}: upserts or
   * removes the row, writes or removes the file list, and moves index entries from {@code
   * previous.files()} to {@code target.files()}. Idempotent, and correct from any partial
   * application of this or the reverse move, so doctor can replay it (or {@code apply(target,
   * previous)}) after a crash.
   *
   * <p>Order: a package appears (row written) only after its list and index entries exist, and
   * disappears (row removed) before they go, so a reader never sees a row without its files.
   */
  public void apply(PackageState previous, PackageState target) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(target, "target");
    PackageId id = target.id();
    if (!previous.id().equals(id)) {
      throw new IllegalArgumentException("cannot move " + previous.id() + " to the state of " + id);
    }
    if (target.record().isEmpty() && !target.files().isEmpty()) {
      throw new IllegalArgumentException(
          "target state of " + id + " has files but no registry record");
    }
    Set<String> targetPaths = paths(target.files());
    Set<String> dropped = paths(previous.files());
    dropped.removeAll(targetPaths);
    if (target.record().isPresent()) {
      writeListAndIndex(id, target.files(), dropped, targetPaths);
      registry.upsert(target.record().get());
    } else {
      registry.remove(id);
      ownership.updateIndex(id, dropped, List.of());
      ownership.removeFiles(id);
    }
  }

  /**
   * The list and the index entries are independent files, and for a 20,000-file package each takes
   * ~30 ms to render and write, so the list is written on a second thread. Both are done before the
   * row. A failure of the list is reported first, as if they had run in that order; either partial
   * outcome is one that {@link #apply} repairs.
   */
  private void writeListAndIndex(
      PackageId id, List<OwnedFile> files, Set<String> dropped, Set<String> targetPaths) {
    if (files.size() < PARALLEL_FROM) {
      ownership.writeFiles(id, files);
      ownership.updateIndex(id, dropped, targetPaths);
      return;
    }
    Handoff.firstBeside(
        "agentpkg-file-list",
        () -> ownership.writeFiles(id, files),
        () -> ownership.updateIndex(id, dropped, targetPaths),
        "writing the file list of " + id);
  }

  /** In list order: lists are sorted by path, and updateIndex keeps that order per shard. */
  private static Set<String> paths(List<OwnedFile> files) {
    Set<String> out = new LinkedHashSet<>();
    for (OwnedFile f : files) {
      out.add(f.path());
    }
    return out;
  }
}
