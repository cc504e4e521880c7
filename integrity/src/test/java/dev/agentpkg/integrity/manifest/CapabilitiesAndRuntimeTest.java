package dev.agentpkg.integrity.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilitiesAndRuntimeTest {
  private static final String SHA = "a".repeat(64);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ledger/*.jsonl",
        "**",
        "data/**",
        "**/x.txt",
        "a/**/b/*.txt",
        "*",
        "*.log",
        "a*b*c/d",
        "registries/packages_registry.csv"
      })
  void validPatternsPass(String pattern) {
    Capabilities c = new Capabilities(List.of(pattern), List.of(), List.of(), List.of(pattern));
    assertThat(c.read()).containsExactly(pattern);
  }

  static Stream<Arguments> invalidPatterns() {
    return Stream.of(
        Arguments.of("", "is empty"),
        Arguments.of("/etc/*", "is absolute"),
        Arguments.of("../*", "'..' component"),
        Arguments.of("a/./b", "'.' component"),
        Arguments.of("a//b", "empty component"),
        Arguments.of("a/", "empty component"),
        Arguments.of("a\\*", "backslash"),
        Arguments.of("a\u0001", "control character"),
        Arguments.of("a**", "'**' must be a whole segment"),
        Arguments.of("***", "'**' must be a whole segment"),
        Arguments.of("x/**.txt", "'**' must be a whole segment"),
        Arguments.of("a?.txt", "'?' is not allowed"),
        Arguments.of("[ab].txt", "'[' is not allowed"),
        Arguments.of("{a,b}", "'{' is not allowed"),
        Arguments.of("e\u0301/*", "NFC"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidPatterns")
  void invalidPatternsAreRefusedNamingListAndPattern(String pattern, String rule) {
    assertThatThrownBy(
            () -> new Capabilities(List.of(), List.of("ok/*", pattern), List.of(), List.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("capabilities.write pattern '")
        .hasMessageContaining(rule);
  }

  @Test
  void atMost256PatternsPerList() {
    List<String> many = new ArrayList<>(Collections.nCopies(256, "a/*"));
    assertThatCode(() -> new Capabilities(List.of(), List.of(), many, List.of()))
        .doesNotThrowAnyException();
    many.add("b/*");
    assertThatThrownBy(() -> new Capabilities(List.of(), List.of(), many, List.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("capabilities.execute has 257 patterns");
  }

  @Test
  void noneIsEmptyAndNullListsBecomeEmpty() {
    assertThat(Capabilities.none().isEmpty()).isTrue();
    assertThat(new Capabilities(null, null, null, null)).isEqualTo(Capabilities.none());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Main", "com.example.runtime.RuntimeModule", "a.b.Outer$Inner", "_x.$y"})
  void validEntrypoints(String name) {
    assertThat(new RuntimeSpec(name, List.of("lib/a.jar")).entrypoint()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "com..Main",
        ".Main",
        "Main.",
        "1abc.Main",
        "com.example/Main",
        "a.class.B",
        "a b",
        "a.b\u0000c",
        "a-b"
      })
  void invalidEntrypointsAreRefused(String name) {
    assertThatThrownBy(() -> new RuntimeSpec(name, List.of("lib/a.jar")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("runtime.entrypoint '");
  }

  @Test
  void classpathMustBeNonEmptyValidAndDistinct() {
    assertThatThrownBy(() -> new RuntimeSpec("a.Main", List.of()))
        .hasMessageContaining("runtime.classpath is empty");
    assertThatThrownBy(() -> new RuntimeSpec("a.Main", List.of("../x.jar")))
        .hasMessageContaining("runtime.classpath entry '../x.jar' has a '..' component");
    assertThatThrownBy(() -> new RuntimeSpec("a.Main", List.of("x.jar", "x.jar")))
        .hasMessageContaining("'x.jar' twice");
  }

  @Test
  void fileEntryValidatesEveryField() {
    FileEntry ok = new FileEntry("bin/run", SHA, 0, "0755");
    assertThat(ok.modeBits()).isEqualTo(0755);
    assertThat(ok.isExecutable()).isTrue();
    assertThat(new FileEntry("a", SHA, 5, "0644").modeBits()).isEqualTo(0644);
    assertThatThrownBy(() -> new FileEntry("../a", SHA, 0, "0644"))
        .hasMessageStartingWith("path '../a'");
    assertThatThrownBy(() -> new FileEntry("a", SHA.toUpperCase(java.util.Locale.ROOT), 0, "0644"))
        .hasMessageContaining("sha256 'AAAA");
    assertThatThrownBy(() -> new FileEntry("a", "abc", 0, "0644"))
        .hasMessageContaining("sha256 'abc'");
    assertThatThrownBy(() -> new FileEntry("a", SHA, -1, "0644")).hasMessageContaining("size -1");
    for (String mode : new String[] {"0777", "644", "4755", "0600", "rw-r--r--"}) {
      assertThatThrownBy(() -> new FileEntry("a", SHA, 0, mode))
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("mode '" + mode + "'");
    }
  }
}
