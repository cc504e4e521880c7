package dev.agentpkg.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleJarsTest {
  @Test
  void compilesSourcesAgainstTheModuleApiIntoAJar(@TempDir Path dir) throws Exception {
    Path jar =
        ModuleJars.builder()
            .source(
                "demo.Mod",
                "package demo; public class Mod implements dev.agentpkg.api.AgentModule {"
                    + " public int run(dev.agentpkg.api.ModuleContext c) { return 3; } }")
            .entry("lib/inner.jar", new byte[] {1, 2})
            .manifestAttribute("Class-Path", "other.jar")
            .write(dir.resolve("m.jar"));
    try (JarFile f = new JarFile(jar.toString())) {
      assertThat(f.getEntry("demo/Mod.class")).isNotNull();
      assertThat(f.getEntry("lib/inner.jar")).isNotNull();
      assertThat(f.getManifest().getMainAttributes().getValue("Class-Path")).isEqualTo("other.jar");
    }
  }

  @Test
  void sourcesThatDoNotCompileFailLoudly() {
    assertThatThrownBy(
            () -> ModuleJars.builder().source("x.Y", "package x; class Y { int }").compile())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not compile");
  }
}
