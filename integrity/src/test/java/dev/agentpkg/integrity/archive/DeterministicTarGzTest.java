package dev.agentpkg.integrity.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterministicTarGzTest {
  static final String LONG_PATH =
      "modules/PKG-T1-RUNTIME-001/" + "d".repeat(128) + "/" + "f".repeat(140) + ".txt";

  static byte[] sample(int threads) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeterministicTarGz tar = new DeterministicTarGz(bytes, 0, threads)) {
      tar.addFile("manifest.json", 0644, "{\"schema\":\"x\"}".getBytes(StandardCharsets.UTF_8));
      tar.addFile("bin/run.sh", 0755, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
      tar.addFile(LONG_PATH, 0644, new byte[300_000]);
      tar.addFile("modules/empty.txt", 0644, new byte[0]);
    }
    return bytes.toByteArray();
  }

  @Test
  void sameInputGivesIdenticalBytesWhateverTheThreads() throws IOException {
    byte[] first = sample(1);
    assertThat(sample(1)).isEqualTo(first);
    assertThat(sample(3)).isEqualTo(first);
  }

  @Test
  void entriesKeepOrderOwnerModeMtimeAndLongNames() throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(new ByteArrayInputStream(sample(2))), "UTF-8")) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.add(e);
      }
    }
    assertThat(entries)
        .extracting(TarArchiveEntry::getName)
        .containsExactly("manifest.json", "bin/run.sh", LONG_PATH, "modules/empty.txt");
    assertThat(LONG_PATH.getBytes(StandardCharsets.UTF_8)).hasSize(300);
    assertThat(entries)
        .extracting(TarArchiveEntry::getMode)
        .containsExactly(0644, 0755, 0644, 0644);
    assertThat(entries)
        .extracting(TarArchiveEntry::getSize)
        .containsExactly(14L, 18L, 300_000L, 0L);
    for (TarArchiveEntry e : entries) {
      assertThat(e.isFile()).isTrue();
      assertThat(e.getLongUserId()).isZero();
      assertThat(e.getLongGroupId()).isZero();
      assertThat(e.getUserName()).isEmpty();
      assertThat(e.getGroupName()).isEmpty();
      assertThat(e.getLastModifiedTime().toMillis()).isZero();
    }
  }

  @Test
  void gnuTarListsEntriesInOrderOwnedByRootAtEpoch(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(ParallelGzipOutputStreamTest.onPath("tar"), "tar not installed");
    Path file = dir.resolve("p.tar.gz");
    Files.write(file, sample(2));
    Process p =
        new ProcessBuilder("tar", "--numeric-owner", "-tzvf", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .startsWith("-rw-r--r-- 0/0")
        .contains("1970-01-01")
        .endsWith(" manifest.json");
    assertThat(lines.get(1))
        .startsWith("-rwxr-xr-x 0/0")
        .contains("1970-01-01")
        .endsWith(" bin/run.sh");
    assertThat(lines.get(2)).startsWith("-rw-r--r-- 0/0").endsWith(" " + LONG_PATH);
    assertThat(lines.get(3)).endsWith(" modules/empty.txt");
  }

  @Test
  void tarEndsWithTwoZeroBlocksPaddedToTheRecordSize() throws IOException {
    byte[] tar;
    try (GzipCompressorInputStream in =
        new GzipCompressorInputStream(new ByteArrayInputStream(sample(1)))) {
      tar = in.readAllBytes();
    }
    assertThat(tar.length % 10240).isZero();
    for (int i = tar.length - 1024; i < tar.length; i++) {
      assertThat(tar[i]).isZero();
    }
  }

  @Test
  void mtimeIsWrittenAsGivenEvenOnPaxHeaders() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeterministicTarGz tar = new DeterministicTarGz(bytes, 1_700_000_000L, 1)) {
      tar.addFile("manifest.json", 0644, new byte[] {'{', '}'});
      tar.addFile(LONG_PATH, 0644, new byte[] {1});
    }
    byte[] raw;
    try (GzipCompressorInputStream in =
        new GzipCompressorInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      raw = in.readAllBytes();
    }
    // Block 2 is the PAX header of the long name: its own mtime must not be "now".
    assertThat(raw[1024 + 156]).isEqualTo((byte) 'x');
    String mtimeField = new String(raw, 1024 + 136, 11, StandardCharsets.US_ASCII);
    assertThat(Long.parseLong(mtimeField, 8)).isEqualTo(1_700_000_000L);
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(new ByteArrayInputStream(bytes.toByteArray())))) {
      assertThat(in.getNextEntry().getLastModifiedTime().toMillis()).isEqualTo(1_700_000_000_000L);
    }
  }

  @Test
  void refusesBadModeDuplicateUnsafePathAndWrongLength() throws IOException {
    try (DeterministicTarGz tar = new DeterministicTarGz(new ByteArrayOutputStream(), 0, 1)) {
      tar.addFile("a", 0644, new byte[1]);
      assertThatThrownBy(() -> tar.addFile("b", 0600, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mode");
      assertThatThrownBy(() -> tar.addFile("c", 04755, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tar.addFile("a", 0644, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("duplicate");
      assertThatThrownBy(() -> tar.addFile("../x", 0644, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unsafe path");
    }
  }

  @Test
  void shortContentBreaksTheArchiveAndCloseSaysSo() {
    DeterministicTarGz tar = new DeterministicTarGz(new ByteArrayOutputStream(), 0, 1);
    assertThatThrownBy(() -> tar.addFile("short", 0644, 10, new ByteArrayInputStream(new byte[3])))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ended after 3 of 10");
    assertThatThrownBy(() -> tar.addFile("next", 0644, new byte[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("incomplete");
    assertThatThrownBy(tar::close).isInstanceOf(IOException.class).hasMessageContaining("'short'");
  }
}
