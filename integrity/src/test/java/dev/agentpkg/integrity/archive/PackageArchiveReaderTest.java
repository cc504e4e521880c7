package dev.agentpkg.integrity.archive;

import static dev.agentpkg.integrity.archive.Archives.MANIFEST;
import static dev.agentpkg.integrity.archive.Archives.end;
import static dev.agentpkg.integrity.archive.Archives.expected;
import static dev.agentpkg.integrity.archive.Archives.file;
import static dev.agentpkg.integrity.archive.Archives.gz;
import static dev.agentpkg.integrity.archive.Archives.header;
import static dev.agentpkg.integrity.archive.Archives.pad;
import static dev.agentpkg.integrity.archive.Archives.pax;
import static dev.agentpkg.integrity.archive.Archives.paxRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.ExitCode;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PackageArchiveReaderTest {
  private static final byte[] JAR = randomBytes(200_000, 1);
  private static final byte[] SCRIPT = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);

  /** Captures what the reader hands to the sink, per path. */
  static final class CapturingSink implements EntrySink {
    final Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();

    @Override
    public OutputStream open(ExpectedFile file) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      files.put(file.path(), out);
      return out;
    }

    long totalBytes() {
      return files.values().stream().mapToLong(ByteArrayOutputStream::size).sum();
    }
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Map<String, ExpectedFile> files(ExpectedFile... files) {
    Map<String, ExpectedFile> m = new HashMap<>();
    for (ExpectedFile f : files) {
      m.put(f.path(), f);
    }
    return m;
  }

  /** The one-file manifest most hostile archives claim: {@code data} (0644) = "data". */
  static final Map<String, ExpectedFile> ONE = files(expected("data", DATA, 0644));

  static ArchiveReadResult read(byte[] archive, Map<String, ExpectedFile> expected) {
    return read(
        new ByteArrayInputStream(archive), expected, ArchiveLimits.defaults(), EntrySink.DISCARD);
  }

  static ArchiveReadResult read(
      InputStream in, Map<String, ExpectedFile> expected, ArchiveLimits limits, EntrySink sink) {
    return new PackageArchiveReader(limits).read(in, bytes -> expected, sink);
  }

  static void assertRefused(
      byte[] archive, Map<String, ExpectedFile> expected, String... fragments) {
    assertThatThrownBy(() -> read(archive, expected))
        .isInstanceOf(VerificationException.class)
        .satisfies(
            e -> assertThat(((VerificationException) e).exitCode()).isEqualTo(ExitCode.INTEGRITY))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(fragments));
  }

  /** manifest.json, then {@code rest}, then the end marker. */
  static byte[] archive(Archives.TarWriter rest) {
    return gz(
        out -> {
          file(out, "manifest.json", 0644, MANIFEST);
          rest.write(out);
          end(out);
        });
  }

  // ---------------------------------------------------------------- happy paths

  @Test
  void writerOutputRoundTripsWithEveryByteDeliveredToTheSink() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String longPath = "modules/" + "n".repeat(200) + "/lib.jar";
    try (DeterministicTarGz tar = new DeterministicTarGz(bytes, 0, 2)) {
      tar.addFile("manifest.json", 0644, MANIFEST);
      tar.addFile("bin/run.sh", 0755, SCRIPT);
      tar.addFile("lib/empty", 0644, new byte[0]);
      tar.addFile(longPath, 0644, JAR);
    }
    Map<String, ExpectedFile> want =
        files(
            expected("bin/run.sh", SCRIPT, 0755),
            expected("lib/empty", new byte[0], 0644),
            expected(longPath, JAR, 0644));
    CapturingSink sink = new CapturingSink();
    byte[][] seenManifest = new byte[1][];
    ArchiveReadResult result =
        new PackageArchiveReader(ArchiveLimits.defaults())
            .read(
                new ByteArrayInputStream(bytes.toByteArray()),
                m -> {
                  seenManifest[0] = m;
                  return want;
                },
                sink);
    assertThat(seenManifest[0]).isEqualTo(MANIFEST);
    assertThat(result.manifestBytes()).isEqualTo(MANIFEST);
    assertThat(result.payloadEntries()).isEqualTo(3);
    assertThat(result.payloadBytes()).isEqualTo(SCRIPT.length + JAR.length);
    assertThat(sink.files.keySet()).containsExactly("bin/run.sh", "lib/empty", longPath);
    assertThat(sink.files.get("bin/run.sh").toByteArray()).isEqualTo(SCRIPT);
    assertThat(sink.files.get("lib/empty").toByteArray()).isEmpty();
    assertThat(sink.files.get(longPath).toByteArray()).isEqualTo(JAR);
  }

  /** A file of exactly one or two hand-over chunks ends on its last chunk, not on an extra read. */
  @Test
  void filesOfWholeChunksArriveWhole() throws IOException {
    byte[] one = randomBytes(64 * 1024, 2);
    byte[] two = randomBytes(128 * 1024, 3);
    byte[] over = randomBytes(64 * 1024 + 1, 4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeterministicTarGz tar = new DeterministicTarGz(bytes, 0, 2)) {
      tar.addFile("manifest.json", 0644, MANIFEST);
      tar.addFile("a", 0644, one);
      tar.addFile("b", 0644, two);
      tar.addFile("c", 0644, over);
    }
    CapturingSink sink = new CapturingSink();
    new PackageArchiveReader(ArchiveLimits.defaults())
        .read(
            new ByteArrayInputStream(bytes.toByteArray()),
            m ->
                files(
                    expected("a", one, 0644), expected("b", two, 0644), expected("c", over, 0644)),
            sink);
    assertThat(sink.files.get("a").toByteArray()).isEqualTo(one);
    assertThat(sink.files.get("b").toByteArray()).isEqualTo(two);
    assertThat(sink.files.get("c").toByteArray()).isEqualTo(over);
  }

  @Test
  void parentDirectoryEntriesWithMode0755AreAccepted() {
    byte[] archive =
        archive(
            out -> {
              out.write(header("lib/", '5', 0, 0755));
              out.write(header("lib/sub/", '5', 0, 040755));
              file(out, "lib/sub/a.jar", 0100644, DATA);
            });
    ArchiveReadResult r = read(archive, files(expected("lib/sub/a.jar", DATA, 0644)));
    assertThat(r.payloadEntries()).isEqualTo(1);
    assertThat(r.payloadBytes()).isEqualTo(4);
  }

  @Test
  void emptyManifestWithNoPayloadIsAccepted() {
    assertThat(read(archive(out -> {}), Map.of()).payloadEntries()).isZero();
  }

  // ---------------------------------------------------------------- names

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../x",
        "/abs/x",
        "a/../../x",
        "..\\x",
        "C:x",
        "a//b",
        "./a",
        "a/.",
        "a/",
        ".."
      })
  void traversalAndAmbiguousNamesAreUnsafeEvenWhenTheManifestListsThem(String name) {
    byte[] archive = archive(out -> file(out, name, 0644, DATA));
    Map<String, ExpectedFile> listsIt = files(new ExpectedFile(name, 4, Sha256.hex(DATA), 0644));
    assertRefused(archive, listsIt, "archive entry '" + name + "'", "unsafe path");
  }

  @Test
  void paxPathWithTraversalIsCheckedAsTheFinalName() {
    byte[] archive =
        archive(
            out -> {
              pax(out, paxRecord("path", "../x"));
              file(out, "harmless", 0644, DATA);
            });
    assertRefused(archive, ONE, "'../x'", "unsafe path");
  }

  @Test
  void gnuLongNameWithTraversalIsCheckedAsTheFinalName() {
    byte[] name = "../x\0".getBytes(StandardCharsets.UTF_8);
    byte[] archive =
        archive(
            out -> {
              out.write(header("././@LongLink", 'L', name.length, 0644));
              out.write(name);
              out.write(pad(name.length));
              file(out, "harmless", 0644, DATA);
            });
    assertRefused(archive, ONE, "'../x'", "unsafe path");
  }

  @Test
  void commonsCompressGnuLongNameWithTraversalIsRefused() {
    String name = "../" + "a".repeat(200);
    byte[] archive =
        archive(
            out -> {
              TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
              tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
              TarArchiveEntry e = new TarArchiveEntry(name, true);
              e.setSize(DATA.length);
              tar.putArchiveEntry(e);
              tar.write(DATA);
              tar.closeArchiveEntry();
              tar.flush();
            });
    assertRefused(archive, ONE, "unsafe path", "'..' path component");
  }

  @Test
  void nulInsideTheHeaderNameIsRefused() {
    byte[] name = {'d', 'a', 't', 'a', 0, '/', 'x'};
    byte[] archive =
        archive(
            out -> {
              out.write(header(name, '0', DATA.length, 0644));
              out.write(DATA);
              out.write(pad(DATA.length));
            });
    assertRefused(archive, ONE, "unsafe path", "NUL");
  }

  @Test
  void nulInsideAPaxPathIsRefused() {
    byte[] archive =
        archive(
            out -> {
              pax(out, paxRecord("path", "data\0x"));
              file(out, "data", 0644, DATA);
            });
    assertRefused(archive, ONE, "unsafe path", "NUL");
  }

  @Test
  void nameThatIsNotUtf8IsRefused() {
    byte[] name = {'d', (byte) 0xff, 'x'};
    byte[] archive = archive(out -> out.write(header(name, '0', 0, 0644)));
    assertRefused(archive, ONE, "not valid UTF-8");
  }

  @Test
  void pathLongerThanTheLimitIsRefused() {
    String deep = "a/".repeat(4095) + "a";
    byte[] archive =
        archive(
            out -> {
              pax(out, paxRecord("path", deep));
              file(out, "data", 0644, DATA);
            });
    assertRefused(archive, ONE, "path of 8191 bytes is longer than 1024 bytes");
  }

  @Test
  void pathDeeperThanTheLimitIsRefused() {
    String deep = "a/".repeat(4095) + "a";
    byte[] archive =
        archive(
            out -> {
              pax(out, paxRecord("path", deep));
              file(out, "data", 0644, DATA);
            });
    ArchiveLimits roomyPaths =
        new ArchiveLimits(100, 1 << 20, 1 << 20, 100_000, 64, 1 << 20, 64 * 1024);
    assertThatThrownBy(
            () -> read(new ByteArrayInputStream(archive), ONE, roomyPaths, EntrySink.DISCARD))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("path of 4096 components is deeper than 64");
  }

  // ---------------------------------------------------------------- types and modes

  @ParameterizedTest
  @CsvSource({
    "1, hardlink",
    "2, symlink",
    "3, character device",
    "4, block device",
    "6, FIFO",
    "7, contiguous file",
    "S, GNU sparse file",
    "V, volume label",
    "Q, unknown type flag 'Q'",
  })
  void everyTypeButRegularFileAndDirectoryIsRefused(char type, String what) {
    byte[] archive = archive(out -> out.write(header("data", type, 0, 0644)));
    assertRefused(archive, ONE, "archive entry 'data'", what + " is not allowed");
  }

  @Test
  void commonsCompressSymlinkAndHardlinkAreRefused() {
    for (byte type : new byte[] {TarConstants.LF_SYMLINK, TarConstants.LF_LINK}) {
      byte[] archive =
          archive(
              out -> {
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
                TarArchiveEntry e = new TarArchiveEntry("data", type);
                e.setLinkName("/etc/passwd");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                tar.flush();
              });
      assertRefused(archive, ONE, "archive entry 'data'", "link is not allowed");
    }
  }

  @Test
  void gnuLongLinkTargetIsRefused() {
    byte[] target = "/etc/passwd\0".getBytes(StandardCharsets.UTF_8);
    byte[] archive =
        archive(
            out -> {
              out.write(header("././@LongLink", 'K', target.length, 0644));
              out.write(target);
              out.write(pad(target.length));
              out.write(header("data", '2', 0, 0644));
            });
    assertRefused(archive, ONE, "GNU long link target");
  }

  @ParameterizedTest
  @CsvSource({"linkpath, /etc/passwd, link target", "GNU.sparse.map, '0,4', GNU sparse"})
  void paxRecordsForLinksAndSparseFilesAreRefused(String key, String value, String message) {
    byte[] archive =
        archive(
            out -> {
              pax(out, paxRecord(key, value));
              file(out, "data", 0644, DATA);
            });
    assertRefused(archive, ONE, message);
  }

  @Test
  void globalPaxHeaderIsRefused() {
    byte[] archive =
        archive(
            out -> {
              byte[] rec = paxRecord("comment", "hi").getBytes(StandardCharsets.UTF_8);
              out.write(header("pax_global_header", 'g', rec.length, 0644));
              out.write(rec);
              out.write(pad(rec.length));
            });
    assertRefused(archive, ONE, "global PAX header");
  }

  @ParameterizedTest
  @ValueSource(ints = {04644, 02644, 01644})
  void setuidSetgidAndStickyBitsAreRefused(int mode) {
    byte[] archive = archive(out -> file(out, "data", mode, DATA));
    assertRefused(archive, ONE, "archive entry 'data'", "setuid/setgid/sticky");
  }

  @Test
  void modeOtherThanTheManifestsIsRefused() {
    byte[] archive = archive(out -> file(out, "data", 0755, DATA));
    assertRefused(archive, ONE, "mode 0755 differs from the manifest's 0644");
  }

  @Test
  void fileTypeBitsContradictingTheTypeFlagAreRefused() {
    byte[] archive = archive(out -> file(out, "data", 0120644, DATA));
    assertRefused(archive, ONE, "names another file type");
  }

  @Test
  void directoryThatIsNotAParentOfAManifestFileIsRefused() {
    byte[] archive =
        archive(
            out -> {
              out.write(header("elsewhere/", '5', 0, 0755));
              file(out, "data", 0644, DATA);
            });
    assertRefused(archive, ONE, "'elsewhere'", "not a parent");
  }

  @Test
  void directoryWithAModeOtherThan0755IsRefused() {
    byte[] archive =
        archive(
            out -> {
              out.write(header("lib/", '5', 0, 0777));
              file(out, "lib/a", 0644, DATA);
            });
    assertRefused(archive, files(expected("lib/a", DATA, 0644)), "directory mode 0777");
  }

  // ---------------------------------------------------------------- manifest agreement

  @Test
  void duplicatePathIsRefused() {
    byte[] archive =
        archive(
            out -> {
              file(out, "data", 0644, DATA);
              file(out, "data", 0644, DATA);
            });
    assertRefused(archive, ONE, "archive entry 'data'", "duplicate path");
  }

  @Test
  void directoryAtAFilesPathIsRefused() {
    byte[] dirFirst =
        archive(
            out -> {
              out.write(header("data/", '5', 0, 0755));
              file(out, "data", 0644, DATA);
            });
    assertRefused(dirFirst, ONE, "'data'", "directory entry where the manifest lists a file");
    byte[] fileFirst =
        archive(
            out -> {
              file(out, "data", 0644, DATA);
              out.write(header("data/", '5', 0, 0755));
            });
    assertRefused(fileFirst, ONE, "'data'", "duplicate path");
  }

  @Test
  void entryNotInTheManifestIsRefused() {
    byte[] archive =
        archive(
            out -> {
              file(out, "data", 0644, DATA);
              file(out, "extra", 0644, DATA);
            });
    assertRefused(archive, ONE, "archive entry 'extra'", "not in the manifest");
  }

  @Test
  void manifestFileMissingFromTheArchiveIsRefused() {
    byte[] archive = archive(out -> file(out, "data", 0644, DATA));
    Map<String, ExpectedFile> two =
        files(
            expected("data", DATA, 0644),
            expected("lib/b", DATA, 0644),
            expected("lib/c", DATA, 0644));
    assertRefused(archive, two, "manifest lists 'lib/b' but the archive lacks it (and 1 more)");
  }

  @Test
  void sizeDifferentFromTheManifestIsRefused() {
    byte[] archive =
        archive(out -> file(out, "data", 0644, "dat".getBytes(StandardCharsets.UTF_8)));
    assertRefused(
        archive, ONE, "archive entry 'data'", "size 3 differs from the manifest's 4 bytes");
  }

  @Test
  void hashDifferentFromTheManifestIsRefused() {
    byte[] archive =
        archive(out -> file(out, "data", 0644, "DATA".getBytes(StandardCharsets.UTF_8)));
    assertRefused(
        archive,
        ONE,
        "archive entry 'data'",
        "SHA-256",
        "differs from the manifest's " + Sha256.hex(DATA));
  }

  @Test
  void manifestNotFirstIsRefused() {
    byte[] archive =
        gz(
            out -> {
              file(out, "data", 0644, DATA);
              file(out, "manifest.json", 0644, MANIFEST);
              end(out);
            });
    assertRefused(archive, ONE, "archive entry 'data'", "first entry must be manifest.json");
  }

  @Test
  void secondManifestIsRefused() {
    byte[] archive = archive(out -> file(out, "manifest.json", 0644, MANIFEST));
    assertRefused(archive, ONE, "second manifest.json");
  }

  @Test
  void manifestThatIsNotARegularFileIsRefused() {
    byte[] archive =
        gz(
            out -> {
              out.write(header("manifest.json", '2', 0, 0644));
              end(out);
            });
    assertRefused(archive, ONE, "'manifest.json'", "must be a regular file");
  }

  @Test
  void oversizedManifestIsRefusedBeforeItIsBuffered() {
    byte[] archive =
        gz(
            out -> {
              out.write(header("manifest.json", '0', 5L << 20, 0644));
              end(out);
            });
    assertRefused(archive, ONE, "exceeds the manifest limit of 4194304 bytes");
  }

  @Test
  void archiveWithoutEntriesIsRefused() {
    assertRefused(gz(Archives::end), ONE, "manifest.json missing");
  }

  @Test
  void handlerFailureAbortsTheRead() {
    byte[] archive = archive(out -> file(out, "data", 0644, DATA));
    CapturingSink sink = new CapturingSink();
    assertThatThrownBy(
            () ->
                new PackageArchiveReader(ArchiveLimits.defaults())
                    .read(
                        new ByteArrayInputStream(archive),
                        m -> {
                          throw new VerificationException("manifest.json: bad id");
                        },
                        sink))
        .hasMessage("manifest.json: bad id");
    assertThat(sink.files).isEmpty();
  }

  // ---------------------------------------------------------------- limits and bombs

  // a hang guard, not a benchmark: the message and sink prove where the read stopped
  @Test
  @Timeout(120)
  void gzipBombOfTenGigabytesIsStoppedWithoutInflatingIt() throws IOException {
    long tenGb = 10L * 1000 * 1000 * 1000;
    ArchiveLimits small = new ArchiveLimits(100, 1 << 20, 2 << 20, 1024, 64, 1 << 20, 64 * 1024);
    Map<String, ExpectedFile> bomb = files(new ExpectedFile("bomb", tenGb, Sha256.hex(DATA), 0644));
    CapturingSink sink = new CapturingSink();
    try (InputStream in =
        Archives.lazyGz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              out.write(header("bomb", '0', tenGb, 0644));
              byte[] zeros = new byte[1 << 20];
              for (long left = tenGb; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
              }
              end(out);
            })) {
      assertThatThrownBy(() -> read(in, bomb, small, sink))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("archive entry 'bomb'")
          .hasMessageContaining("exceeds the per-entry limit of 1048576 bytes");
    }
    assertThat(sink.totalBytes()).isZero();
  }

  @Test
  void totalLimitStopsTheReadAtTheEntryThatWouldCrossIt() {
    byte[] big = randomBytes(600_000, 2);
    ArchiveLimits small = new ArchiveLimits(100, 1 << 20, 2 << 20, 1024, 64, 1 << 20, 64 * 1024);
    Map<String, ExpectedFile> want = new HashMap<>();
    byte[] archive =
        archive(
            out -> {
              for (int i = 0; i < 5; i++) {
                file(out, "f" + i, 0644, big);
              }
            });
    for (int i = 0; i < 5; i++) {
      want.put("f" + i, expected("f" + i, big, 0644));
    }
    CapturingSink sink = new CapturingSink();
    assertThatThrownBy(() -> read(new ByteArrayInputStream(archive), want, small, sink))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("archive entry 'f3'")
        .hasMessageContaining("exceeds the total limit of 2097152 bytes");
    assertThat(sink.files.keySet()).containsExactly("f0", "f1", "f2");
    assertThat(sink.totalBytes()).isLessThanOrEqualTo(2 << 20);
  }

  // a hang guard, not a benchmark: the message and sink prove where the read stopped
  @Test
  @Timeout(120)
  void millionEmptyEntriesAreStoppedAtTheEntryLimitQuickly() throws IOException {
    int limit = (int) ArchiveLimits.defaults().maxEntries();
    Map<String, ExpectedFile> want = new HashMap<>();
    String emptyHash = Sha256.hex(new byte[0]);
    // manifest.json counts as an entry, so the first limit-1 payload entries are all fine.
    for (int i = 0; i < limit; i++) {
      String name = emptyEntryName(i);
      want.put(name, new ExpectedFile(name, 0, emptyHash, 0644));
    }
    try (InputStream in =
        Archives.lazyGz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              for (int i = 0; i < 1_000_000; i++) {
                out.write(header(emptyEntryName(i), '0', 0, 0644));
              }
              end(out);
            })) {
      assertThatThrownBy(() -> read(in, want, ArchiveLimits.defaults(), EntrySink.DISCARD))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("archive entry '" + emptyEntryName(limit - 1) + "'")
          .hasMessageContaining("more than 100000 entries");
    }
  }

  private static String emptyEntryName(int i) {
    String digits = Integer.toString(i);
    return "e/" + "0".repeat(7 - digits.length()) + digits;
  }

  // a hang guard, not a benchmark: the message and sink prove where the read stopped
  @Test
  @Timeout(120)
  void paxHeaderOf64MibIsRefusedFromItsDeclaredSize() throws IOException {
    long size = 64L << 20;
    try (InputStream in =
        Archives.lazyGz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              out.write(header("./PaxHeaders/data", 'x', size, 0644));
              byte[] chunk = new byte[64 * 1024];
              Arrays.fill(chunk, (byte) 'a');
              for (long left = size; left > 0; left -= chunk.length) {
                out.write(chunk);
              }
              file(out, "data", 0644, DATA);
              end(out);
            })) {
      assertThatThrownBy(() -> read(in, ONE, ArchiveLimits.defaults(), EntrySink.DISCARD))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("PAX header of 67108864 bytes exceeds the limit of 65536 bytes");
    }
  }

  @Test
  void gnuLongNameOf64MibIsRefusedFromItsDeclaredSize() {
    byte[] archive = archive(out -> out.write(header("././@LongLink", 'L', 64L << 20, 0644)));
    assertRefused(archive, ONE, "GNU long-name header of 67108864 bytes exceeds the limit");
  }

  // ---------------------------------------------------------------- framing

  @Test
  void truncatedGzipIsRefused() throws IOException {
    byte[] content = randomBytes(50_000, 3);
    byte[] whole = archive(out -> file(out, "data", 0644, content));
    Map<String, ExpectedFile> want = files(expected("data", content, 0644));
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    assertRefused(cut, want, "archive entry 'data'", "corrupt or truncated gzip data");
    assertThat(read(whole, want).payloadEntries()).isEqualTo(1);
    byte[] noTrailer = Arrays.copyOf(whole, whole.length - 4);
    assertRefused(noTrailer, want, "corrupt or truncated gzip data");
  }

  @Test
  void tarWithoutEndMarkerIsRefused() {
    byte[] archive =
        gz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              file(out, "data", 0644, DATA);
            });
    assertRefused(archive, ONE, "truncated archive (no end-of-archive marker)");
  }

  @Test
  void tarEndingInsideEntryDataIsRefused() {
    byte[] archive =
        gz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              out.write(header("data", '0', 4, 0644));
              out.write(DATA, 0, 2);
            });
    assertRefused(archive, ONE, "archive entry 'data'", "truncated archive");
  }

  @Test
  void loneZeroBlockIsRefused() {
    byte[] archive =
        gz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              file(out, "data", 0644, DATA);
              out.write(new byte[512]);
            });
    assertRefused(archive, ONE, "end-of-archive marker is a single block");
  }

  @Test
  void dataAfterTheTarEndIsRefused() {
    byte[] archive =
        gz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              file(out, "data", 0644, DATA);
              end(out);
              out.write(new byte[3000]);
              out.write("hidden".getBytes(StandardCharsets.UTF_8));
            });
    assertRefused(archive, ONE, "trailing data after the tar end");
  }

  @Test
  void endlessZeroPaddingIsRefused() {
    byte[] archive =
        gz(
            out -> {
              file(out, "manifest.json", 0644, MANIFEST);
              file(out, "data", 0644, DATA);
              end(out);
              out.write(new byte[2 << 20]);
            });
    assertRefused(archive, ONE, "trailing data after the tar end", "padding");
  }

  @Test
  void secondGzipMemberIsRefused() {
    byte[] first = archive(out -> file(out, "data", 0644, DATA));
    byte[] second = gz(out -> out.write("more".getBytes(StandardCharsets.UTF_8)));
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    assertRefused(both, ONE, "data after the gzip member");
  }

  @Test
  void rawBytesAfterTheGzipMemberAreRefused() {
    byte[] first = archive(out -> file(out, "data", 0644, DATA));
    byte[] withJunk = Arrays.copyOf(first, first.length + 1);
    assertRefused(withJunk, ONE, "data after the gzip member");
  }

  @Test
  void gzipHeaderWithAFileNameIsRefused() {
    byte[] archive = archive(out -> file(out, "data", 0644, DATA));
    archive[3] = 8; // FNAME, and a "name" made of the deflate bytes that follow
    assertRefused(archive, ONE, "gzip header carries");
  }

  @Test
  void notGzipIsRefused() {
    assertRefused("plain text".getBytes(StandardCharsets.UTF_8), ONE, "not a gzip stream");
  }

  @Test
  void badHeaderChecksumIsRefused() {
    byte[] archive =
        archive(
            out -> {
              byte[] h = header("data", '0', 4, 0644);
              h[0] = 'D';
              out.write(h);
              out.write(DATA);
              out.write(pad(4));
            });
    assertRefused(archive, ONE, "bad tar header checksum");
  }

  @Test
  void nonUstarHeaderIsRefused() {
    byte[] archive =
        archive(
            out -> {
              byte[] h = header("data", '0', 4, 0644);
              Arrays.fill(h, 257, 265, (byte) 0);
              out.write(Archives.withChecksum(h));
              out.write(DATA);
              out.write(pad(4));
            });
    assertRefused(archive, ONE, "not a POSIX tar header");
  }

  // ---------------------------------------------------------------- I/O failures

  @Test
  void sourceReadFailureIsAStorageError() {
    byte[] archive = archive(out -> file(out, "data", 0644, DATA));
    InputStream failing =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served == 40) {
              throw new IOException("device gone");
            }
            return archive[served++] & 0xff;
          }
        };
    assertThatThrownBy(() -> read(failing, ONE, ArchiveLimits.defaults(), EntrySink.DISCARD))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("device gone");
  }

  @Test
  void sinkWriteFailureIsAStorageErrorNamingTheFile() {
    byte[] archive = archive(out -> file(out, "data", 0644, DATA));
    EntrySink full =
        f ->
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("No space left on device");
              }
            };
    assertThatThrownBy(
            () -> read(new ByteArrayInputStream(archive), ONE, ArchiveLimits.defaults(), full))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("'data'")
        .hasMessageContaining("No space left");
  }

  // ---------------------------------------------------------------- the writer thread

  @Test
  void anEarlierHashMismatchWinsOverALaterEntrysRefusal() {
    // 'data' is bad by hash (found on the writer thread), the entry after it by name (found on
    // the reader's): the report must name the first bad entry in archive order, as before
    byte[] archive =
        archive(
            out -> {
              file(out, "data", 0644, "DATA".getBytes(StandardCharsets.UTF_8));
              file(out, "../x", 0644, DATA);
            });
    assertRefused(archive, ONE, "archive entry 'data'", "SHA-256");
  }

  @Test
  void aHashMismatchInTheLastEntryIsReportedBeforeTheReadIsAccepted() {
    Map<String, ExpectedFile> two = files(expected("a", DATA, 0644), expected("b", SCRIPT, 0755));
    byte[] archive =
        archive(
            out -> {
              file(out, "a", 0644, DATA);
              file(out, "b", 0755, "#!/bin/sh\necho no\n".getBytes(StandardCharsets.UTF_8));
            });
    assertRefused(archive, two, "archive entry 'b'", "SHA-256");
  }

  @Test
  void aRefusedReadHasClosedEveryStreamItOpenedBeforeItReturns() {
    // the caller deletes staging as soon as the read fails; a writer still busy behind it would
    // create files in a directory being deleted
    java.util.concurrent.atomic.AtomicInteger open =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger opened =
        new java.util.concurrent.atomic.AtomicInteger();
    EntrySink slow =
        f -> {
          opened.incrementAndGet();
          open.incrementAndGet();
          return new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {
              try {
                Thread.sleep(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }

            @Override
            public void close() {
              open.decrementAndGet();
            }
          };
        };
    Map<String, ExpectedFile> many = new HashMap<>();
    byte[] archive = fortyJars(many, out -> file(out, "not-listed", 0644, DATA));
    assertThatThrownBy(
            () -> read(new ByteArrayInputStream(archive), many, ArchiveLimits.defaults(), slow))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("not-listed");
    assertThat(opened.get()).isEqualTo(40);
    assertThat(open.get()).isZero();
  }

  @Timeout(20)
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSinkThatBlowsUpEndsTheReadInsteadOfHangingIt(boolean error) {
    // an Error kills the writer thread outright; the reader must notice rather than wait for
    // chunks that never come back (40 files of 200 kB fill the pool several times over)
    EntrySink broken =
        f -> {
          if (error) {
            throw new AssertionError("sink bug");
          }
          throw new IllegalStateException("sink bug");
        };
    Map<String, ExpectedFile> many = new HashMap<>();
    byte[] archive = fortyJars(many, out -> {});
    assertThatThrownBy(
            () -> read(new ByteArrayInputStream(archive), many, ArchiveLimits.defaults(), broken))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("sink bug");
  }

  /** 40 files of 200 kB (more than the writer's chunk pool holds), listed into {@code many}. */
  private static byte[] fortyJars(Map<String, ExpectedFile> many, Archives.TarWriter after) {
    return archive(
        out -> {
          for (int i = 0; i < 40; i++) {
            many.put("f" + i, expected("f" + i, JAR, 0644));
            file(out, "f" + i, 0644, JAR);
          }
          after.write(out);
        });
  }
}
