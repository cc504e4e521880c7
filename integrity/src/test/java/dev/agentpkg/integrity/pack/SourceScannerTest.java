package dev.agentpkg.integrity.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.agentpkg.core.UsageException;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScannerTest {
  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static List<SourceScanner.SourceFile> sorted(Path src) {
    return SourceScanner.scan(src).stream()
        .sorted(Comparator.comparing(SourceScanner.SourceFile::path))
        .toList();
  }

  @Test
  void listsNestedFilesWithSlashPathsSizesAndModesButNotTheDescriptor(@TempDir Path src)
      throws IOException {
    write(src.resolve("package.json"), "{}");
    write(src.resolve("modules/P/a.txt"), "abc");
    Path tool = write(src.resolve("modules/P/bin/tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(src.resolve("modules/P/empty"));

    List<SourceScanner.SourceFile> files = sorted(src);

    assertThat(files)
        .extracting(SourceScanner.SourceFile::path)
        .containsExactly("modules/P/a.txt", "modules/P/bin/tool");
    assertThat(files).extracting(SourceScanner.SourceFile::size).containsExactly(3L, 10L);
    assertThat(files).extracting(SourceScanner.SourceFile::mode).containsExactly("0644", "0755");
    assertThat(files.get(1).file()).isEqualTo(tool);
  }

  @Test
  void refusesALinkToADirectoryInsideTheSourceAndTheSourceItselfAsALink(@TempDir Path dir)
      throws IOException {
    Path src = dir.resolve("src");
    write(src.resolve("modules/P/a.txt"), "a");
    Files.createSymbolicLink(src.resolve("modules/P/other"), dir);
    assertThatThrownBy(() -> SourceScanner.scan(src))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("other is a symbolic link");
    Path link = Files.createSymbolicLink(dir.resolve("link"), src);
    assertThatThrownBy(() -> SourceScanner.scan(link))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("is a symbolic link");
  }

  @Test
  void worksWithoutPosixAttributesEveryFileThen0644() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.windows())) {
      Path src = fs.getPath("C:\\src");
      write(src.resolve("modules").resolve("P").resolve("a.txt"), "a");
      assertThat(sorted(src))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.path()).isEqualTo("modules/P/a.txt");
                assertThat(f.mode()).isEqualTo("0644");
              });
    }
  }
}
