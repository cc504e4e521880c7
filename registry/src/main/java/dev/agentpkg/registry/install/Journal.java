package dev.agentpkg.registry.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AtomicFiles;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.registry.state.PackageState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Everything needed to finish or undo a transaction after a crash, written (and fsync'd) before the
 * first file in the root changes. Each step it lists is idempotent, so {@code doctor} can replay it
 * from any point.
 *
 * @param backups root-relative paths moved out of the way into {@code staging/<tx>/old/} first
 * @param moves units (a file, or a whole new directory) renamed from {@code staging/<tx>/new/}
 * @param previous the registry state of every package the transaction touches, before
 * @param target the same packages' state after
 * @param storeFiles file names copied into packages_store/ by this transaction
 */
public record Journal(
    String tx,
    String op,
    String packageId,
    String version,
    List<String> backups,
    List<String> moves,
    List<PackageState> previous,
    List<PackageState> target,
    List<String> storeFiles) {

  public Journal {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(op, "op");
    backups = List.copyOf(backups);
    moves = List.copyOf(moves);
    previous = List.copyOf(previous);
    target = List.copyOf(target);
    storeFiles = List.copyOf(storeFiles);
  }

  public static Path file(Path journalDir, String tx) {
    return journalDir.resolve(tx + ".json");
  }

  public void write(Path journalDir) {
    write(journalDir, toBytes());
  }

  /** The journal file's content: canonical JSON, so a journal read back renders the same. */
  byte[] toBytes() {
    ObjectNode n = Json.object();
    n.put("schema", "agentpkg/journal/v1");
    n.put("tx", tx);
    n.put("op", op);
    n.put("package_id", packageId);
    n.put("version", version);
    strings(n.putArray("backups"), backups);
    strings(n.putArray("moves"), moves);
    ArrayNode prev = n.putArray("previous");
    previous.forEach(s -> prev.add(StateJson.toJson(s)));
    ArrayNode tgt = n.putArray("target");
    target.forEach(s -> tgt.add(StateJson.toJson(s)));
    strings(n.putArray("store_files"), storeFiles);
    return CanonicalJson.bytes(n);
  }

  /**
   * Writes {@code rendered}, this journal's {@link #toBytes()} (made ahead of time, off the
   * commit's path), durably: fsync'd, renamed into place and its directory fsync'd.
   */
  void write(Path journalDir, byte[] rendered) {
    try {
      Files.createDirectories(journalDir);
      Path tmp = journalDir.resolve("." + tx + ".tmp");
      Files.write(tmp, rendered);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file(journalDir, tx), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.fsyncDirectory(journalDir);
    } catch (IOException e) {
      throw new StorageException("cannot write the transaction journal: " + e.getMessage(), e);
    }
  }

  public static Journal read(Path file) {
    JsonNode n;
    try {
      n = Json.parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!"agentpkg/journal/v1".equals(n.path("schema").asText())) {
      throw new VerificationException(file + ": not an agentpkg transaction journal");
    }
    List<PackageState> prev = new ArrayList<>();
    n.path("previous").forEach(s -> prev.add(StateJson.fromJson(s, file.toString())));
    List<PackageState> tgt = new ArrayList<>();
    n.path("target").forEach(s -> tgt.add(StateJson.fromJson(s, file.toString())));
    return new Journal(
        n.path("tx").asText(),
        n.path("op").asText(),
        n.path("package_id").asText(),
        n.path("version").asText(),
        strings(n.path("backups")),
        strings(n.path("moves")),
        prev,
        tgt,
        strings(n.path("store_files")));
  }

  /** Journals of interrupted transactions, oldest first. */
  public static List<Path> pending(Path journalDir) {
    if (!Files.isDirectory(journalDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(journalDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new StorageException("cannot list " + journalDir + ": " + e.getMessage(), e);
    }
  }

  public void delete(Path journalDir) {
    try {
      Files.deleteIfExists(file(journalDir, tx));
      AtomicFiles.fsyncDirectory(journalDir);
    } catch (IOException e) {
      throw new StorageException("cannot remove the journal of " + tx + ": " + e.getMessage(), e);
    }
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(v -> out.add(v.asText()));
    return out;
  }
}
