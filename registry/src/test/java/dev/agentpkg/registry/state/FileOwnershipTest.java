package dev.agentpkg.registry.state;

import static dev.agentpkg.registry.state.StateFixtures.file;
import static dev.agentpkg.registry.state.StateFixtures.files;
import static dev.agentpkg.registry.state.StateFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.manifest.FileEntry;
import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.Root;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileOwnershipTest {
  private static final PackageId A = PackageId.of("PKG-T1-ALPHA-001");
  private static final PackageId B = PackageId.of("PKG-T1-BETA-001");
  private static final String ODD = "modules/odd, \"quoted\" name/ünïcødé ✓ 日本.txt";

  private FileSystem fs;
  private Root root;
  private FileOwnership own;

  @BeforeEach
  void setUp() {
    fs = StateFixtures.jimfs();
    root = StateFixtures.initRoot(fs.getPath("/root"));
    own = new FileOwnership(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void fileListRoundTripsSortedByUtf8Order() {
    List<OwnedFile> list =
        List.of(
            new OwnedFile("modules/a/\uFF21.txt", hex("1"), 10, "0644"),
            new OwnedFile("modules/a/run.sh", hex("2"), 0, "0755"),
            new OwnedFile(ODD, hex("3"), Long.MAX_VALUE, "0644"),
            new OwnedFile("modules/a/Z.txt", hex("4"), 7, "0644"));
    own.writeFiles(A, list);
    List<OwnedFile> back = own.files(A);
    assertThat(back).containsExactlyInAnyOrderElementsOf(list);
    // bytewise UTF-8 order: 'Z' < 'r' < U+FF21 (EF BC A1); "modules/a/" < "modules/o"
    assertThat(back)
        .extracting(OwnedFile::path)
        .containsExactly("modules/a/Z.txt", "modules/a/run.sh", "modules/a/\uFF21.txt", ODD);
    assertThat(own.files(B)).isEmpty();
    assertThat(own.packagesWithLists()).containsExactly(A);
  }

  @Test
  void removeFilesDeletesTheList() {
    own.writeFiles(A, files("a", 3));
    own.writeFiles(B, List.of());
    assertThat(own.packagesWithLists()).containsExactly(A, B);
    own.removeFiles(A);
    own.removeFiles(A);
    assertThat(Files.exists(root.fileOwnershipFile(A))).isFalse();
    assertThat(own.files(A)).isEmpty();
    assertThat(own.packagesWithLists()).containsExactly(B);
  }

  @Test
  void duplicatePathsInAListAreRefused() {
    assertThatThrownBy(() -> own.writeFiles(A, List.of(file("x/a"), file("x/b"), file("x/a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x/a' is listed twice");
    assertThat(Files.exists(root.fileOwnershipFile(A))).isFalse();
  }

  @Test
  void ownedFileKeepsTheManifestRules() {
    FileEntry e = new FileEntry("bin/tool", hex("t"), 5, "0755");
    assertThat(OwnedFile.of(e)).isEqualTo(new OwnedFile("bin/tool", hex("t"), 5, "0755"));
    assertThat(OwnedFile.of(e).isExecutable()).isTrue();
    assertThatThrownBy(() -> new OwnedFile("../etc/passwd", hex("t"), 5, "0644"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> new OwnedFile("registries/x.csv", hex("t"), 5, "0644"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> new OwnedFile("a", "00", 5, "0644"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OwnedFile("a", hex("t"), -1, "0644"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OwnedFile("a", hex("t"), 1, "0777"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedListRowsNameFileAndLine() throws Exception {
    own.writeFiles(A, List.of(file("m/a"), file("m/b")));
    Path list = root.fileOwnershipFile(A);
    String good = Files.readString(list, StandardCharsets.UTF_8);
    String[][] cases = {
      {"m/b", "../b", "'..'"},
      {",3,0644", ",-3,0644", "size '-3'"},
      {",3,0644", ",03,0644", "size '03'"},
      {",3,0644", ",3,0600", "mode"},
      {",3,0644", ",,0644", "size ''"},
      {",3,0644", ",3x,0644", "size '3x'"},
      {",3,0644", ",+3,0644", "size '+3'"},
      {",3,0644", ",9223372036854775808,0644", "size '9223372036854775808'"},
      {",3,0644", ",12345678901234567890,0644", "size '12345678901234567890'"},
    };
    for (String[] c : cases) {
      String lastLine = good.substring(good.indexOf("m/b"));
      Files.writeString(
          list, good.replace(lastLine, lastLine.replace(c[0], c[1])), StandardCharsets.UTF_8);
      assertThatThrownBy(() -> own.files(A))
          .as(c[1])
          .isInstanceOf(VerificationException.class)
          .hasMessageStartingWith(list + ":3: ")
          .hasMessageContaining(c[2]);
    }
    Files.writeString(list, good + good.substring(good.indexOf("m/b")), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> own.files(A))
        .hasMessage(list + ":4: path 'm/b' is listed twice (first at line 3)");
  }

  @Test
  void sizesParseUpToTheLargestLong() {
    assertThat(FileOwnership.parseSize("0")).isZero();
    assertThat(FileOwnership.parseSize("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(FileOwnership.parseSize("9999999999999999999")).isEqualTo(-1);
    assertThat(FileOwnership.parseSize("00")).isEqualTo(-1);
    assertThat(FileOwnership.parseSize("-0")).isEqualTo(-1);
  }

  @Test
  void aListEditedOutOfOrderIsReadSortedAndStillRefusesDuplicatesFarApart() throws Exception {
    own.writeFiles(A, List.of(file("m/a"), file("m/b"), file("m/c")));
    Path list = root.fileOwnershipFile(A);
    List<String> lines = new ArrayList<>(Files.readAllLines(list, StandardCharsets.UTF_8));
    String first = lines.remove(1);
    lines.add(first); // m/b, m/c, m/a
    Files.write(list, lines, StandardCharsets.UTF_8);
    assertThat(own.files(A)).extracting(OwnedFile::path).containsExactly("m/a", "m/b", "m/c");
    lines.add(lines.get(1)); // m/b again, after m/a
    Files.write(list, lines, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> own.files(A))
        .hasMessage(list + ":5: path 'm/b' is listed twice (first at line 2)");
  }

  @Test
  void indexIsExactlyTheListsOnlyWhenEveryEntryAndOwnerMatches() throws Exception {
    List<OwnedFile> a = new ArrayList<>(files("a", 300));
    a.add(file(ODD));
    List<OwnedFile> b = files("b", 200);
    Map<PackageId, List<OwnedFile>> lists = new java.util.LinkedHashMap<>();
    lists.put(A, a);
    lists.put(B, b);
    own.updateIndex(A, List.of(), a.stream().map(OwnedFile::path).toList());
    own.updateIndex(B, List.of(), b.stream().map(OwnedFile::path).toList());
    assertThat(own.indexIsExactly(lists)).isTrue();

    // a list that lost a file, a list that gained one, an owner swapped, a path listed twice
    Map<PackageId, List<OwnedFile>> lost = new java.util.LinkedHashMap<>(lists);
    lost.put(B, b.subList(1, b.size()));
    assertThat(own.indexIsExactly(lost)).isFalse();
    Map<PackageId, List<OwnedFile>> gained = new java.util.LinkedHashMap<>(lists);
    List<OwnedFile> more = new ArrayList<>(b);
    more.add(file("b/extra"));
    gained.put(B, more);
    assertThat(own.indexIsExactly(gained)).isFalse();
    Map<PackageId, List<OwnedFile>> swapped = new java.util.LinkedHashMap<>();
    swapped.put(A, b);
    swapped.put(B, a);
    assertThat(own.indexIsExactly(swapped)).isFalse();
    Map<PackageId, List<OwnedFile>> twice = new java.util.LinkedHashMap<>(lists);
    List<OwnedFile> dup = new ArrayList<>(b);
    dup.add(a.get(0));
    twice.put(B, dup);
    assertThat(own.indexIsExactly(twice)).isFalse();

    // the same entries written some other way (here: a shard's rows out of order) are not shown
    Path shard;
    try (Stream<Path> s = Files.list(own.ownersDir())) {
      shard = s.filter(p -> lineCount(p) > 3).findFirst().orElseThrow();
    }
    byte[] good = Files.readAllBytes(shard);
    // cut short, one byte longer, one byte changed (in a path, in an owner, a separator)
    List<byte[]> damaged = new ArrayList<>();
    damaged.add(java.util.Arrays.copyOf(good, good.length - 1));
    damaged.add(java.util.Arrays.copyOf(good, good.length + 1));
    for (int at : new int[] {good.length / 2, good.length - 2, good.length - 1}) {
      byte[] changed = good.clone();
      changed[at] ^= 1;
      damaged.add(changed);
    }
    for (byte[] d : damaged) {
      Files.write(shard, d);
      assertThat(own.indexIsExactly(lists)).isFalse();
    }
    Files.write(shard, good);
    assertThat(own.indexIsExactly(lists)).isTrue();
    List<String> lines = new ArrayList<>(Files.readAllLines(shard, StandardCharsets.UTF_8));
    java.util.Collections.swap(lines, 1, 2);
    Files.write(shard, lines, StandardCharsets.UTF_8);
    assertThat(own.indexIsExactly(lists)).isFalse();
    assertThat(own.allOwners()).hasSize(501);
  }

  @Test
  void anEmptyRootsIndexIsExactlyNoLists() {
    assertThat(own.indexIsExactly(Map.of())).isTrue();
    assertThat(own.indexIsExactly(Map.of(A, List.of()))).isTrue();
    assertThat(own.indexIsExactly(Map.of(A, files("a", 1)))).isFalse();
  }

  private static long lineCount(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8).size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void ownersFindsOnlyWhatIsIndexed() {
    own.writeFiles(A, files("a", 3)); // a list alone does not index anything
    assertThat(own.owners(paths(files("a", 3)))).isEmpty();
    own.updateIndex(A, List.of(), paths(files("a", 3)));
    own.updateIndex(B, List.of(), List.of(ODD));
    Map<String, PackageId> found =
        own.owners(List.of("modules/a/f0.txt", "modules/a/f2.txt", ODD, "modules/a/f9.txt"));
    assertThat(found)
        .containsOnly(entry("modules/a/f0.txt", A), entry("modules/a/f2.txt", A), entry(ODD, B));
    assertThat(own.allOwners()).hasSize(4).containsEntry(ODD, B);
  }

  @Test
  void updateIndexMovesPathsAndNeverRemovesAnotherPackagesEntry() {
    own.updateIndex(A, List.of(), List.of("x/1", "x/2", "x/3"));
    own.updateIndex(B, List.of(), List.of("y/1"));
    // A drops x/1 and x/2, gains x/4; it also "drops" y/1, which B owns and must keep.
    own.updateIndex(A, List.of("x/1", "x/2", "y/1"), List.of("x/2", "x/3", "x/4"));
    assertThat(own.allOwners())
        .containsOnly(entry("x/2", A), entry("x/3", A), entry("x/4", A), entry("y/1", B));
    // x/1 is free now, so B may take it; A then removing it again changes nothing.
    own.updateIndex(B, List.of(), List.of("x/1"));
    own.updateIndex(A, List.of("x/1"), List.of());
    assertThat(own.owners(List.of("x/1"))).containsExactly(entry("x/1", B));
  }

  @Test
  void givingAnOwnedPathToAnotherPackageIsRefusedBeforeAnyShardIsWritten() throws Exception {
    own.updateIndex(A, List.of(), List.of("x/1"));
    Map<String, byte[]> before = shardBytes();
    List<String> added = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      added.add("z/" + i);
    }
    added.add("x/1");
    assertThatThrownBy(() -> own.updateIndex(B, List.of(), added))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'x/1'")
        .hasMessageContaining(A.value());
    assertThat(shardBytes()).usingRecursiveComparison().isEqualTo(before);
  }

  @Test
  void oddPathsRoundTripThroughTheIndex() throws Exception {
    List<String> odd = List.of(ODD, "a,b/c", "q/\"", "sp ace/ x ", "e/\u00e9\u0301x");
    own.updateIndex(A, List.of(), odd);
    FileOwnership fresh = new FileOwnership(root);
    assertThat(fresh.owners(odd))
        .hasSize(odd.size())
        .allSatisfy((p, id) -> assertThat(id).isEqualTo(A));
    assertThat(fresh.allOwners().keySet()).containsExactlyInAnyOrderElementsOf(odd);
  }

  @Test
  void shardsAreNamedByTheFirstByteOfTheSha256OfThePath() throws Exception {
    own.updateIndex(A, List.of(), List.of("modules/a/f0.txt"));
    String shard = hex("modules/a/f0.txt").substring(0, 2);
    Path ownersDir = root.registries().resolve("owners");
    try (Stream<Path> s = Files.list(ownersDir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly(shard + ".csv");
    }
    assertThat(Files.readString(ownersDir.resolve(shard + ".csv"), StandardCharsets.UTF_8))
        .isEqualTo("path,package_id\nmodules/a/f0.txt,PKG-T1-ALPHA-001\n");
    // emptying a shard deletes it
    own.updateIndex(A, List.of("modules/a/f0.txt"), List.of());
    try (Stream<Path> s = Files.list(ownersDir)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void malformedShardRowsNameFileAndLine() throws Exception {
    own.updateIndex(A, List.of(), List.of("x/1"));
    Path shard = root.registries().resolve("owners").resolve(FileOwnership.shardOf("x/1") + ".csv");
    Files.writeString(shard, "path,package_id\nx/1,PKG-T1-ALPHA-001\nx/1,nope\n");
    assertThatThrownBy(() -> own.owners(List.of("x/1")))
        .isInstanceOf(VerificationException.class)
        .hasMessage(shard + ":3: package_id 'nope' is not a package id");
    Files.writeString(shard, "path,package_id\nx/1,PKG-T1-ALPHA-001\nx/1,PKG-T1-BETA-001\n");
    assertThatThrownBy(() -> own.owners(List.of("x/1")))
        .hasMessage(shard + ":3: path 'x/1' is listed twice");
    String elsewhere = "x/2";
    int i = 2;
    while (FileOwnership.shardOf(elsewhere).equals(FileOwnership.shardOf("x/1"))) {
      elsewhere = "x/" + ++i;
    }
    Files.writeString(shard, "path,package_id\n" + elsewhere + ",PKG-T1-ALPHA-001\n");
    assertThatThrownBy(() -> own.allOwners())
        .hasMessageStartingWith(shard + ":2: path '" + elsewhere + "' belongs in shard ");
    Files.writeString(shard, "path,package_id\n/etc/passwd,PKG-T1-ALPHA-001\n");
    assertThatThrownBy(() -> own.allOwners())
        .hasMessageStartingWith(shard + ":2: path '/etc/passwd' is not a valid");
  }

  @Test
  void oldRootsWithoutTheDirectoriesReadEmptyAndGainThemOnFirstWrite() throws Exception {
    Files.delete(root.fileOwnershipDir());
    assertThat(Files.exists(root.registries().resolve("owners"))).isFalse();
    assertThat(own.files(A)).isEmpty();
    assertThat(own.packagesWithLists()).isEmpty();
    assertThat(own.allOwners()).isEmpty();
    assertThat(own.owners(List.of("x/1"))).isEmpty();
    own.updateIndex(A, List.of("x/1"), List.of()); // nothing to change: nothing created
    assertThat(Files.exists(root.registries().resolve("owners"))).isFalse();

    own.writeFiles(A, List.of(file("x/1")));
    own.updateIndex(A, List.of(), List.of("x/1"));
    assertThat(own.files(A)).containsExactly(file("x/1"));
    assertThat(own.owners(List.of("x/1"))).containsExactly(entry("x/1", A));
  }

  @Test
  void strayFilesInTheDirectoriesAreIgnored() throws Exception {
    own.writeFiles(A, List.of(file("x/1")));
    own.updateIndex(A, List.of(), List.of("x/1"));
    Files.writeString(root.fileOwnershipDir().resolve(".PKG-T1-BETA-001.csv.123.tmp"), "junk");
    Files.writeString(root.fileOwnershipDir().resolve("notes.csv"), "junk");
    Files.writeString(root.registries().resolve("owners").resolve("zz.csv"), "junk");
    assertThat(own.packagesWithLists()).containsExactly(A);
    assertThat(own.allOwners()).containsExactly(entry("x/1", A));
  }

  private static List<String> paths(List<OwnedFile> files) {
    return files.stream().map(OwnedFile::path).collect(Collectors.toList());
  }

  private Map<String, byte[]> shardBytes() throws Exception {
    Map<String, byte[]> out = new HashMap<>();
    Path dir = root.registries().resolve("owners");
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  @Test
  void aShardEditedBehindTheInstancesBackIsReadAgain() throws Exception {
    own.updateIndex(A, List.of(), List.of(ODD));
    assertThat(own.owners(List.of(ODD))).containsExactly(entry(ODD, A));
    // a second instance (another command) gives the path to B; the first must not answer from
    // what it parsed before
    FileOwnership other = new FileOwnership(root);
    other.updateIndex(A, List.of(ODD), List.of());
    other.updateIndex(B, List.of(), List.of(ODD));
    assertThat(own.owners(List.of(ODD))).containsExactly(entry(ODD, B));
    // and an in-place edit (same inode, other size) is seen too
    Path shard = own.ownersDir().resolve(FileOwnership.shardOf(ODD) + ".csv");
    String text = Files.readString(shard, StandardCharsets.UTF_8);
    Files.writeString(shard, text.replace(B.value(), A.value() + "X"), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> own.owners(List.of(ODD))).hasMessageContaining("package_id");
  }

  @Test
  void repeatedReadsGiveIndependentMaps() {
    own.updateIndex(A, List.of(), List.of(ODD));
    own.owners(List.of(ODD));
    // updateIndex changes the map it reads; a parse shared with the next read would keep that
    own.updateIndex(A, List.of(ODD), List.of());
    assertThat(own.owners(List.of(ODD))).isEmpty();
    own.updateIndex(B, List.of(), List.of(ODD));
    assertThat(own.owners(List.of(ODD))).containsExactly(entry(ODD, B));
  }
}
