package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RootLocatorTest {
  private FileSystem fs;

  @BeforeEach
  void setUp() throws Exception {
    fs = TestRoots.jimfs();
    TestRoots.initRoot(fs);
    Files.createDirectories(fs.getPath("/root/modules/PKG-T1-X-001/lib"));
    Files.createDirectories(fs.getPath("/elsewhere/deep"));
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void findsRootFromNestedWorkingDirectory() {
    AppContext ctx = TestRoots.ctx(fs, "/root/modules/PKG-T1-X-001/lib", Map.of());
    assertThat(RootLocator.locate(ctx, Optional.empty()).dir()).isEqualTo(fs.getPath("/root"));
  }

  @Test
  void honoursAgentpkgRootFromContextEnvironment() {
    AppContext ctx = TestRoots.ctx(fs, "/elsewhere/deep", Map.of("AGENTPKG_ROOT", "/root"));
    assertThat(RootLocator.locate(ctx, Optional.empty()).dir()).isEqualTo(fs.getPath("/root"));
  }

  @Test
  void flagWinsOverEnvironmentAndIsRelativeToWorkingDirectory() {
    AppContext ctx = TestRoots.ctx(fs, "/", Map.of("AGENTPKG_ROOT", "/elsewhere"));
    assertThat(RootLocator.locate(ctx, Optional.of("root")).dir()).isEqualTo(fs.getPath("/root"));
  }

  @Test
  void explicitNonRootIsNotFoundNamingIt() {
    AppContext ctx = TestRoots.ctx(fs, "/root", Map.of("AGENTPKG_ROOT", "/elsewhere"));
    // even though the working directory is a root, the user asked for another one
    assertThatThrownBy(() -> RootLocator.locate(ctx, Optional.empty()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("AGENTPKG_ROOT /elsewhere is not an agentpkg root");
    assertThatThrownBy(() -> RootLocator.locate(ctx, Optional.of("/missing")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("/missing");
  }

  @Test
  void noRootTellsTheUserWhatToDo() {
    AppContext ctx = TestRoots.ctx(fs, "/elsewhere/deep", Map.of());
    assertThatThrownBy(() -> RootLocator.locate(ctx, Optional.empty()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no agentpkg root found")
        .hasMessageContaining("agentpkg init --root DIR");
  }

  @Test
  void initTargetPrefersFlagThenEnvThenWorkingDirectory() {
    AppContext withEnv = TestRoots.ctx(fs, "/elsewhere", Map.of("AGENTPKG_ROOT", "/e"));
    assertThat(RootLocator.initTarget(withEnv, Optional.of("new")))
        .isEqualTo(fs.getPath("/elsewhere/new"));
    assertThat(RootLocator.initTarget(withEnv, Optional.empty())).isEqualTo(fs.getPath("/e"));
    AppContext plain = TestRoots.ctx(fs, "/elsewhere", Map.of());
    assertThat(RootLocator.initTarget(plain, Optional.empty())).isEqualTo(fs.getPath("/elsewhere"));
  }
}
