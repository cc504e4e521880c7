package dev.agentpkg.registry.state;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.digest.Sha256;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.integrity.manifest.PathRules;
import dev.agentpkg.registry.CsvTable;
import dev.agentpkg.registry.Root;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * File ownership that scales (dpkg keeps one list per package for the same reason):
 *
 * <ul>
 *   <li>{@code registries/files/<ID>.csv}, columns {@code path,sha256,size,mode}: the package's
 *       authoritative file list;
 *   <li>{@code registries/owners/<xx>.csv}, columns {@code path,package_id}: a path-to-owner index
 *       sharded into 256 files by the first byte of SHA-256(path as UTF-8), as two lowercase hex
 *       characters, so looking up or updating the owners of a 10-file package reads and writes at
 *       most 10 small shards however many packages are installed.
 * </ul>
 *
 * Both directories are created on first write (older roots lack {@code owners/}); a missing one
 * reads as empty. Callers hold the root lock.
 */
public final class FileOwnership {
  static final List<String> FILE_COLUMNS = List.of("path", "sha256", "size", "mode");
  static final List<String> OWNER_COLUMNS = List.of("path", "package_id");
  private static final Pattern SHARD_FILE = Pattern.compile("^[0-9a-f]{2}\\.csv$");
  private static final String[] SHARD_NAMES = new String[256];

  static {
    for (int b = 0; b < 256; b++) {
      SHARD_NAMES[b] = String.format(Locale.ROOT, "%02x", b);
    }
  }

  private final Path filesDir;
  private final Path ownersDir;
  // Shard files read and written by this instance: lets tests prove lookups stay local.
  private long shardReads;
  private long shardWrites;
  // A command reads a shard to check owners and again to update it; the second read is free
  private final Map<String, StampedParse<Map<String, PackageId>>> parsedShards = new HashMap<>();
  private final MessageDigest digest = Sha256.newDigest();

  public FileOwnership(Root root) {
    this.filesDir = root.fileOwnershipDir();
    this.ownersDir = root.registries().resolve("owners");
  }

  /** The package's file list, sorted by path; empty when the package has no list file. */
  public List<OwnedFile> files(PackageId id) {
    Path file = listFile(id);
    if (!Files.exists(file)) {
      return List.of();
    }
    CsvTable table = new CsvTable(file, FILE_COLUMNS);
    List<CsvTable.Row> rows = table.readRows();
    List<OwnedFile> out = new ArrayList<>(rows.size());
    // writeFiles stores the rows sorted and unique, so strictly ascending paths prove both with one
    // comparison per row; only a list out of order needs a map of every path (20,000 rows: ~10 ms)
    boolean ascending = true;
    for (CsvTable.Row row : rows) {
      String path = row.get("path");
      String sizeText = row.get("size");
      long size = parseSize(sizeText);
      if (size < 0) {
        throw table.invalid(row, "size '" + sizeText + "' is not a non-negative integer");
      }
      OwnedFile f;
      try {
        f = new OwnedFile(path, row.get("sha256"), size, row.get("mode"));
      } catch (IllegalArgumentException e) {
        throw table.invalid(row, e.getMessage());
      }
      ascending =
          ascending
              && (out.isEmpty() || PathRules.compareUtf8(out.get(out.size() - 1).path(), path) < 0);
      out.add(f);
    }
    if (!ascending) {
      refuseDuplicates(table, rows);
      out.sort((a, b) -> PathRules.compareUtf8(a.path(), b.path()));
    }
    return out;
  }

  private static void refuseDuplicates(CsvTable table, List<CsvTable.Row> rows) {
    Map<String, Long> seen = new HashMap<>();
    for (CsvTable.Row row : rows) {
      String path = row.get("path");
      Long first = seen.putIfAbsent(path, row.line());
      if (first != null) {
        throw table.invalid(
            row, "path '" + path + "' is listed twice (first at line " + first + ")");
      }
    }
  }

  /**
   * A size as written: "0" or digits without a leading zero that fit in a long; -1 otherwise. By
   * hand, as it runs for every row: a regex match per row cost more than the rest of the row.
   */
  static long parseSize(String text) {
    int n = text.length();
    if (n == 0 || n > 19 || (n > 1 && text.charAt(0) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        return -1;
      }
    }
    return v;
  }

  /** Replaces the package's file list atomically, sorted by path; duplicate paths are refused. */
  public void writeFiles(PackageId id, List<OwnedFile> files) {
    List<OwnedFile> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> PathRules.compareUtf8(a.path(), b.path()));
    List<Map<String, String>> rows = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      OwnedFile f = sorted.get(i);
      if (i > 0 && sorted.get(i - 1).path().equals(f.path())) {
        throw new IllegalArgumentException(id + ": path '" + f.path() + "' is listed twice");
      }
      Map<String, String> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("sha256", f.sha256());
      m.put("size", Long.toString(f.size()));
      m.put("mode", f.mode());
      rows.add(m);
    }
    Dirs.ensure(filesDir);
    new CsvTable(listFile(id), FILE_COLUMNS).write(rows);
  }

  /** Deletes {@code registries/files/<ID>.csv} if present. */
  public void removeFiles(PackageId id) {
    Dirs.delete(listFile(id));
  }

  /**
   * Owners of the given paths (absent = unowned), reading only the shards those paths hash into.
   */
  public Map<String, PackageId> owners(Collection<String> paths) {
    Map<String, PackageId> out = new TreeMap<>(PathRules.UTF8_ORDER);
    for (Map.Entry<String, List<String>> e : byShard(paths).entrySet()) {
      Map<String, PackageId> shard = readShard(e.getKey());
      for (String p : e.getValue()) {
        PackageId owner = shard.get(p);
        if (owner != null) {
          out.put(p, owner);
        }
      }
    }
    return out;
  }

  /**
   * Moves ownership in the index: removes the {@code removed} paths (only where {@code id} owns
   * them) and sets the {@code added} paths to {@code id}; a path in both ends up owned by {@code
   * id}. Rewrites only the touched shards whose content changes, each atomically. An added path
   * owned by another package is refused before any shard is written: callers check conflicts first,
   * so this only guards the index against a bug.
   */
  public void updateIndex(PackageId id, Collection<String> removed, Collection<String> added) {
    Set<String> addedSet = new HashSet<>(added);
    Map<String, List<String>> removedByShard = byShard(removed);
    // in the caller's order (a package's paths come sorted), so that a shard's new rows arrive
    // as sorted runs and writeShard's sort merges instead of sorting thousands of rows
    Map<String, List<String>> addedByShard = byShard(added);
    Set<String> shards = new TreeSet<>(removedByShard.keySet());
    shards.addAll(addedByShard.keySet());
    Map<String, Map<String, PackageId>> changed = new TreeMap<>();
    for (String shard : shards) {
      Map<String, PackageId> entries = readShard(shard);
      boolean dirty = false;
      for (String p : removedByShard.getOrDefault(shard, List.of())) {
        if (!addedSet.contains(p) && id.equals(entries.get(p))) {
          entries.remove(p);
          dirty = true;
        }
      }
      for (String p : addedByShard.getOrDefault(shard, List.of())) {
        PackageId owner = entries.get(p);
        if (owner != null && !owner.equals(id)) {
          throw new ConflictException(
              "cannot give '" + p + "' to " + id + ": the index says " + owner + " owns it");
        }
        if (owner == null) {
          entries.put(p, id);
          dirty = true;
        }
      }
      if (dirty) {
        changed.put(shard, entries);
      }
    }
    if (!changed.isEmpty()) {
      Dirs.ensure(ownersDir);
    }
    changed.forEach(this::writeShard);
  }

  /**
   * Rebuilds the whole index from the file lists, which are authoritative: for a lost or damaged
   * index, and to build a large root in one pass. Every shard is rewritten (or deleted when it
   * should be empty), each atomically. Two lists claiming one path is a {@link ConflictException}
   * naming both, and nothing is written.
   */
  public void rebuildIndex() {
    Map<String, Map<String, PackageId>> shards = new TreeMap<>();
    Map<String, PackageId> owner = new HashMap<>();
    for (PackageId id : packagesWithLists()) {
      for (OwnedFile f : files(id)) {
        PackageId other = owner.putIfAbsent(f.path(), id);
        if (other != null) {
          throw new ConflictException(
              "cannot rebuild the file index: '"
                  + f.path()
                  + "' is listed by both "
                  + other
                  + " and "
                  + id);
        }
        shards.computeIfAbsent(shardOf(f.path(), digest), k -> new HashMap<>()).put(f.path(), id);
      }
    }
    Dirs.ensure(ownersDir);
    for (int b = 0; b < 256; b++) {
      String shard = SHARD_NAMES[b];
      Map<String, PackageId> entries = shards.getOrDefault(shard, Map.of());
      if (!entries.isEmpty() || Files.exists(shardFile(shard))) {
        writeShard(shard, entries);
      }
    }
  }

  /** The whole index (for the integrity check): path to owner, in no particular order. */
  public Map<String, PackageId> allOwners() {
    Map<String, PackageId> out = new HashMap<>();
    for (String name : listNames(ownersDir)) {
      if (SHARD_FILE.matcher(name).matches()) {
        shardReads++;
        out.putAll(shardEntries(name.substring(0, 2)));
      }
    }
    return out;
  }

  /** Every package that has a {@code files/<ID>.csv} (for the integrity check), sorted by id. */
  public List<PackageId> packagesWithLists() {
    List<PackageId> out = new ArrayList<>();
    for (String name : listNames(filesDir)) {
      if (name.endsWith(".csv")) {
        String base = name.substring(0, name.length() - ".csv".length());
        if (PackageId.isValid(base)) {
          out.add(PackageId.of(base));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The shard a path's index entry lives in: two lowercase hex characters. */
  static String shardOf(String path) {
    return shardOf(path, Sha256.newDigest());
  }

  /**
   * With the instance's digest: a shard parse checks a few hundred rows, getInstance is not free.
   */
  private static String shardOf(String path, MessageDigest md) {
    return SHARD_NAMES[shardByte(path, md)];
  }

  private static int shardByte(String path, MessageDigest md) {
    md.reset();
    return md.digest(path.getBytes(StandardCharsets.UTF_8))[0] & 0xff;
  }

  long shardReads() {
    return shardReads;
  }

  long shardWrites() {
    return shardWrites;
  }

  Path ownersDir() {
    return ownersDir;
  }

  private Path listFile(PackageId id) {
    return filesDir.resolve(id.value() + ".csv");
  }

  private Path shardFile(String shard) {
    return ownersDir.resolve(shard + ".csv");
  }

  private Map<String, List<String>> byShard(Collection<String> paths) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String p : paths) {
      if (!PathRules.isValid(p)) {
        throw new IllegalArgumentException("'" + p + "' is not a valid package file path");
      }
      out.computeIfAbsent(shardOf(p, digest), k -> new ArrayList<>()).add(p);
    }
    return out;
  }

  /** The shard's entries, as a map the caller may change. */
  private Map<String, PackageId> readShard(String shard) {
    shardReads++;
    return new LinkedHashMap<>(shardEntries(shard));
  }

  /** The shard's entries as parsed (unmodifiable), parsed again only when the file changed. */
  private Map<String, PackageId> shardEntries(String shard) {
    Path file = shardFile(shard);
    return parsedShards
        .computeIfAbsent(shard, k -> new StampedParse<>())
        .get(file, () -> Files.exists(file) ? parseShard(shard, file) : Map.of());
  }

  private Map<String, PackageId> parseShard(String shard, Path file) {
    Map<String, PackageId> out = new LinkedHashMap<>(); // file order: sorted
    // a shard holds a few packages' paths: each id is checked and built once per shard
    Map<String, PackageId> ids = new HashMap<>();
    CsvTable table = new CsvTable(file, OWNER_COLUMNS);
    for (CsvTable.Row row : table.readRows()) {
      String path = row.get("path");
      String idText = row.get("package_id");
      if (!PathRules.isValid(path)) {
        throw table.invalid(row, "path '" + path + "' is not a valid package file path");
      }
      PackageId owner = ids.get(idText);
      if (owner == null) {
        if (!PackageId.isValid(idText)) {
          throw table.invalid(row, "package_id '" + idText + "' is not a package id");
        }
        owner = PackageId.of(idText);
        ids.put(idText, owner);
      }
      if (!shardOf(path, digest).equals(shard)) {
        throw table.invalid(row, "path '" + path + "' belongs in shard " + shardOf(path, digest));
      }
      if (out.put(path, owner) != null) {
        throw table.invalid(row, "path '" + path + "' is listed twice");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private void writeShard(String shard, Map<String, PackageId> entries) {
    shardWrites++;
    Path file = shardFile(shard);
    if (entries.isEmpty()) {
      Dirs.delete(file);
      return;
    }
    List<String[]> rows = new ArrayList<>(entries.size());
    entries.forEach((p, id) -> rows.add(new String[] {p, id.value()}));
    new CsvTable(file, OWNER_COLUMNS).writeCells(sortedByPath(rows));
  }

  private static List<String[]> sortedByPath(List<String[]> rows) {
    rows.sort((a, b) -> PathRules.compareUtf8(a[0], b[0]));
    return rows;
  }

  /**
   * Whether the index holds exactly these lists' paths and owners, as {@link #writeShard} would
   * have written them, byte for byte. Comparing each shard file with the rows it should hold costs
   * a fraction of parsing and checking 20,000 rows; false only means "not shown", and the caller
   * then compares entry by entry to say what differs. Callers pass every installed package's list.
   */
  public boolean indexIsExactly(Map<PackageId, List<OwnedFile>> lists) {
    List<List<String[]>> shards = new ArrayList<>(256);
    for (int b = 0; b < 256; b++) {
      shards.add(new ArrayList<>());
    }
    for (Map.Entry<PackageId, List<OwnedFile>> e : lists.entrySet()) {
      String owner = e.getKey().value();
      for (OwnedFile f : e.getValue()) {
        shards.get(shardByte(f.path(), digest)).add(new String[] {f.path(), owner});
      }
    }
    try {
      Set<String> present = new HashSet<>(listNames(ownersDir));
      for (int b = 0; b < 256; b++) {
        String shard = SHARD_NAMES[b];
        List<String[]> rows = shards.get(b);
        boolean exists = present.contains(shard + ".csv");
        if (rows.isEmpty() || !exists) {
          if (rows.isEmpty() == exists) {
            return false;
          }
          continue;
        }
        Path file = shardFile(shard);
        if (!holdsExactly(Files.readAllBytes(file), sortedByPath(rows), file)) {
          return false;
        }
      }
    } catch (IOException | StorageException e) {
      // unreadable: the entry-by-entry comparison reports it
      return false;
    }
    return true;
  }

  private static final byte[] OWNER_HEADER =
      (String.join(",", OWNER_COLUMNS) + "\n").getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether a shard file is the rendering of these sorted rows. Rows of plain ASCII, the usual
   * case, are compared with the bytes as they are, without rendering the file again; a path that is
   * not, or that CSV must quote, has the shard rendered and compared whole.
   */
  private static boolean holdsExactly(byte[] have, List<String[]> rows, Path file) {
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i - 1)[0].equals(rows.get(i)[0])) {
        return false; // two lists claim one path
      }
    }
    int pos = OWNER_HEADER.length;
    if (have.length < pos || !Arrays.equals(have, 0, pos, OWNER_HEADER, 0, pos)) {
      return false;
    }
    for (String[] row : rows) {
      for (int c = 0; c < 2; c++) {
        String value = row[c];
        if (!isPlainAscii(value)) {
          return Arrays.equals(new CsvTable(file, OWNER_COLUMNS).renderCells(rows), have);
        }
        int n = value.length();
        if (pos + n >= have.length) {
          return false;
        }
        for (int i = 0; i < n; i++) {
          if (have[pos + i] != value.charAt(i)) {
            return false;
          }
        }
        pos += n;
        if (have[pos++] != (c == 0 ? ',' : '\n')) {
          return false;
        }
      }
    }
    return pos == have.length;
  }

  /** Non-empty ASCII that CSV writes as is. */
  private static boolean isPlainAscii(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch >= 0x80 || ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
        return false;
      }
    }
    return true;
  }

  private static List<String> listNames(Path dir) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }
}
