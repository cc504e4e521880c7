package dev.agentpkg.registry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentpkg.registry.state.OwnedFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RehashTest {
  private static final String SHA = "0".repeat(64);

  @Test
  void runsFollowDirectoriesInListOrder() {
    List<OwnedFile> files =
        List.of(file("a/x", 1), file("a/y", 1), file("a/b/z", 1), file("a/w", 1), file("top", 1));
    assertThat(Rehash.byDirectory(files))
        .extracting(r -> r[0] + "-" + r[1])
        .containsExactly("0-2", "2-3", "3-4", "4-5");
  }

  @Test
  void aDirectoryOfLargeFilesIsSharedOutAndAFullOneIsCut() {
    List<OwnedFile> large = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      large.add(file("data/large" + i + ".bin", 64L << 20));
    }
    assertThat(Rehash.byDirectory(large)).hasSize(8);
    List<OwnedFile> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(file(String.format("d/f%03d", i), 10));
    }
    assertThat(Rehash.byDirectory(many))
        .extracting(r -> r[1] - r[0])
        .containsExactly(64, 64, 64, 8);
  }

  @Test
  void noFilesNoRuns() {
    assertThat(Rehash.byDirectory(List.of())).isEmpty();
  }

  private static OwnedFile file(String path, long size) {
    return new OwnedFile(path, SHA, size, "0644");
  }
}
