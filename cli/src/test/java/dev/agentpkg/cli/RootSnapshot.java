package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a root holds on disk, read independently of agentpkg's own code: every file and directory
 * (root-relative, '/'-separated) with its SHA-256 and POSIX mode, so two states can be compared
 * exactly. Also reads the registry's per-package file lists and the ledger the same plain way.
 */
final class RootSnapshot {
  static final List<String> RESERVED =
      List.of("registries", "ledger", "packages_store", ".agentpkg");

  private RootSnapshot() {}

  /**
   * Every entry under {@code root} except those at or under {@code excluded} (root-relative
   * prefixes): files map to "sha256 mode", directories to "dir mode", symlinks to "link".
   */
  static SortedView of(Path root, String... excluded) {
    Map<String, String> out = new TreeMap<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                throws IOException {
              if (d.equals(root)) {
                return FileVisitResult.CONTINUE;
              }
              String rel = rel(root, d);
              if (isExcluded(rel, excluded)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              out.put(rel + "/", "dir " + mode(d));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              String rel = rel(root, f);
              if (!isExcluded(rel, excluded)) {
                out.put(rel, a.isSymbolicLink() ? "link" : sha256(f) + " " + mode(f));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SortedView(out);
  }

  /** The snapshot's entries; a record so that assertions print a readable difference. */
  record SortedView(Map<String, String> entries) {
    /** Regular files only (no directories). */
    Map<String, String> files() {
      Map<String, String> m = new TreeMap<>();
      entries.forEach(
          (k, v) -> {
            if (!k.endsWith("/")) {
              m.put(k, v);
            }
          });
      return m;
    }
  }

  /** Package files outside the reserved dirs: what installs and uninstalls change. */
  static SortedView payload(Path root) {
    return of(root, RESERVED.toArray(String[]::new));
  }

  private static boolean isExcluded(String rel, String... excluded) {
    for (String e : excluded) {
      if (rel.equals(e) || rel.startsWith(e + "/")) {
        return true;
      }
    }
    return false;
  }

  static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  static String sha256(Path f) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    int m = 0;
    for (PosixFilePermission perm : perms) {
      m |= 1 << (8 - perm.ordinal());
    }
    return String.format(java.util.Locale.ROOT, "%04o", m);
  }

  /** One row of {@code registries/files/<ID>.csv}. */
  record Owned(String path, String sha256, long size, String mode) {}

  /**
   * Every package's file list, read from {@code registries/files/*.csv} (simple CSV: no quotes).
   */
  static Map<String, List<Owned>> ownedFiles(Path root) {
    Map<String, List<Owned>> out = new TreeMap<>();
    Path dir = root.resolve("registries/files");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.sorted().toList()) {
        String name = f.getFileName().toString();
        assertThat(name).as("file list %s", f).endsWith(".csv");
        List<List<String>> table = csv(f);
        assertThat(table).as("%s has a header", f).isNotEmpty();
        assertThat(table.get(0))
            .as("header of %s", f)
            .containsExactly("path", "sha256", "size", "mode");
        List<Owned> rows = new ArrayList<>();
        for (List<String> c : table.subList(1, table.size())) {
          assertThat(c).as("row of %s: %s", f, c).hasSize(4);
          rows.add(new Owned(c.get(0), c.get(1), Long.parseLong(c.get(2)), c.get(3)));
        }
        out.put(name.substring(0, name.length() - 4), rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Checks that the files on disk and the registry's file lists agree exactly: every owned file is
   * present with its recorded hash, size and mode, no path has two owners, and no file outside the
   * reserved dirs is unowned. Returns the owned paths.
   */
  static Map<String, String> assertFilesMatchRegistry(Path root) throws IOException {
    Map<String, String> owner = new LinkedHashMap<>();
    for (Map.Entry<String, List<Owned>> e : ownedFiles(root).entrySet()) {
      for (Owned f : e.getValue()) {
        String prev = owner.put(f.path(), e.getKey());
        assertThat(prev).as("%s owned by two packages", f.path()).isNull();
        Path live = root.resolve(f.path());
        assertThat(Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS))
            .as("%s of %s is on disk", f.path(), e.getKey())
            .isTrue();
        assertThat(sha256(live)).as("sha256 of %s", f.path()).isEqualTo(f.sha256());
        assertThat(Files.size(live)).as("size of %s", f.path()).isEqualTo(f.size());
        assertThat(mode(live)).as("mode of %s", f.path()).isEqualTo(f.mode());
      }
    }
    List<String> orphans =
        payload(root).files().keySet().stream().filter(p -> !owner.containsKey(p)).toList();
    assertThat(orphans).as("files under the root that no package owns").isEmpty();
    return owner;
  }

  /** A CSV file as rows of fields (header included), parsed by Jackson rather than agentpkg. */
  static List<List<String>> csv(Path f) throws IOException {
    com.fasterxml.jackson.dataformat.csv.CsvMapper mapper =
        new com.fasterxml.jackson.dataformat.csv.CsvMapper();
    mapper.enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY);
    List<List<String>> out = new ArrayList<>();
    try (com.fasterxml.jackson.databind.MappingIterator<List<String>> it =
        mapper
            .readerFor(new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {})
            .readValues(f.toFile())) {
      while (it.hasNext()) {
        List<String> row = it.next();
        if (!(row.size() == 1 && row.get(0).isEmpty())) {
          out.add(row);
        }
      }
    }
    return out;
  }

  /** The ledger's entries, parsed line by line. */
  static List<JsonNode> ledger(Path root) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line :
          Files.readAllLines(root.resolve("ledger/governance.jsonl"), StandardCharsets.UTF_8)) {
        if (!line.isEmpty()) {
          out.add(Agentpkg.JSON.readTree(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The package ids of a {@code list --json} document (top level only, not dependencies). */
  static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("packages").forEach(p -> out.add(p.get("id").asText()));
    return out;
  }

  static List<String> events(Path root) {
    return ledger(root).stream().map(e -> e.get("event").asText()).toList();
  }

  static List<String> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Copies a whole tree keeping permissions, so a pristine root can be reused per test case. */
  static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                throws IOException {
              Path target = to.resolve(from.relativize(d).toString());
              Files.createDirectories(target);
              Files.setPosixFilePermissions(
                  target, Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.copy(
                  f,
                  to.resolve(from.relativize(f).toString()),
                  StandardCopyOption.COPY_ATTRIBUTES,
                  LinkOption.NOFOLLOW_LINKS);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A package source folder holding exactly {@code files} (root-relative path to content; a path
   * ending in ".sh" is made executable).
   */
  static Path source(Path dir, String id, String tier, String version, Map<String, String> files)
      throws IOException {
    return source(dir, id, tier, version, files, "");
  }

  /** As above, with {@code dependencies} a JSON array body such as {"id":..,"version":..}. */
  static Path source(
      Path dir,
      String id,
      String tier,
      String version,
      Map<String, String> files,
      String dependencies)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("package.json"),
        "{\"id\":\""
            + id
            + "\",\"name\":\"Test\",\"version\":\""
            + version
            + "\",\"tier\":\""
            + tier
            + "\",\"spec_id\":\"SPEC-TEST-001\",\"description\":\"test\",\"dependencies\":["
            + dependencies
            + "]}",
        StandardCharsets.UTF_8);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(
          p,
          PosixFilePermissions.fromString(f.getKey().endsWith(".sh") ? "rwxr-xr-x" : "rw-r--r--"));
    }
    return dir;
  }

  /** Packs {@code src} with {@code --out DIR} (outside any store) and returns the archive. */
  static Path pack(Fixture fx, Path src, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    JsonNode r =
        fx.cli
            .json(
                0,
                "pack",
                "--src",
                src.toString(),
                "--key",
                fx.key.toString(),
                "--out",
                outDir.toString())
            .json();
    Path archive = Path.of(r.get("archive").asText());
    assertThat(archive).isRegularFile();
    assertThat(Path.of(archive + ".sig")).isRegularFile();
    return archive;
  }
}
