package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenSourceTest {
  @Test
  void flagThenFileThenEnvironment() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      AppContext ctx = TestRoots.ctx(fs, "/work", Map.of("AGENTPKG_TOKEN", "from-env"));
      Files.writeString(fs.getPath("/work/tok"), "  from-file  \nsecond line\n");
      assertThat(TokenSource.resolve(ctx, Optional.of("flag"), Optional.empty())).contains("flag");
      assertThat(TokenSource.resolve(ctx, Optional.empty(), Optional.of("tok")))
          .contains("from-file");
      assertThat(TokenSource.resolve(ctx, Optional.empty(), Optional.empty())).contains("from-env");
      AppContext noEnv = TestRoots.ctx(fs, "/work", Map.of());
      assertThat(TokenSource.resolve(noEnv, Optional.empty(), Optional.empty())).isEmpty();
    }
  }

  @Test
  void refusesBothFlagsAndMissingOrEmptyFile() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      AppContext ctx = TestRoots.ctx(fs, "/work", Map.of());
      assertThatThrownBy(() -> TokenSource.resolve(ctx, Optional.of("a"), Optional.of("b")))
          .isInstanceOf(UsageException.class);
      assertThatThrownBy(() -> TokenSource.resolve(ctx, Optional.empty(), Optional.of("nope")))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("/work/nope");
      Files.writeString(fs.getPath("/work/empty"), "\n");
      assertThatThrownBy(() -> TokenSource.resolve(ctx, Optional.empty(), Optional.of("empty")))
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("empty");
    }
  }
}
