package dev.agentpkg.integrity.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathRulesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "modules/PKG-T1-RUNTIME-001/lib/agent-runtime.jar",
        "a/b c/d.txt",
        "caf\u00e9/x",
        "日本/ファイル.txt",
        "emoji/\uD83D\uDE00.txt",
        "ab:c/d",
        "a/C:",
        "sub/manifest.json",
        "sub/registries/x",
        "registries2/x",
        ".hidden/x",
        "..a/b",
        "a../b"
      })
  void validPathsPass(String path) {
    assertThatCode(() -> PathRules.validate(path)).doesNotThrowAnyException();
    assertThat(PathRules.isValid(path)).isTrue();
  }

  static Stream<Arguments> invalidPaths() {
    return Stream.of(
        Arguments.of("", "is empty"),
        Arguments.of("/etc/passwd", "is absolute"),
        Arguments.of("../x", "has a '..' component"),
        Arguments.of("a/../../x", "has a '..' component"),
        Arguments.of("a/..", "has a '..' component"),
        Arguments.of("a/./b", "has a '.' component"),
        Arguments.of(".", "has a '.' component"),
        Arguments.of("a//b", "has an empty component"),
        Arguments.of("a/", "has an empty component"),
        Arguments.of("a\\b", "contains a backslash"),
        Arguments.of("..\\x", "contains a backslash"),
        Arguments.of("a\u0000b", "contains a NUL character"),
        Arguments.of("a\nb", "contains control character U+000A"),
        Arguments.of("a\tb", "contains control character U+0009"),
        Arguments.of("a\u007fb", "contains control character U+007F"),
        Arguments.of("a\u0085b", "contains control character U+0085"),
        Arguments.of("a\u009bb", "contains control character U+009B"),
        Arguments.of("a\u2028b", "contains line separator U+2028"),
        Arguments.of("a\u2029b", "contains line separator U+2029"),
        Arguments.of("evil\u202Etxt.exe", "contains invisible format character U+202E"),
        Arguments.of("a\uD800b", "contains an unpaired surrogate U+D800"),
        Arguments.of("e\u0301", "is not NFC-normalised"),
        Arguments.of("dir/cafe\u0301/x", "is not NFC-normalised"),
        Arguments.of("a/" + "x".repeat(256), "has a component of 256 bytes"),
        Arguments.of("\u00e9".repeat(128), "has a component of 256 bytes"),
        Arguments.of(deepPath(1025), "is 1025 bytes long"),
        Arguments.of("x".repeat(2000), "is 2000 bytes long"),
        Arguments.of("x".repeat(5000), "is longer than 1024 bytes"),
        Arguments.of("a/".repeat(64) + "a", "is 65 components deep"),
        Arguments.of("registries/packages_registry.csv", "reserved directory 'registries'"),
        Arguments.of("ledger/governance.jsonl", "reserved directory 'ledger'"),
        Arguments.of("packages_store/x.tar.gz", "reserved directory 'packages_store'"),
        Arguments.of(".agentpkg/lock", "reserved directory '.agentpkg'"),
        Arguments.of("Registries/x", "reserved directory 'registries'"),
        Arguments.of("LEDGER/x", "reserved directory 'ledger'"),
        Arguments.of(".AgentPkg/x", "reserved directory '.agentpkg'"),
        Arguments.of("registries", "reserved directory 'registries'"),
        Arguments.of("manifest.json", "reserved for the archive format"),
        Arguments.of("package.json", "reserved for the archive format"),
        Arguments.of("Manifest.JSON", "reserved for the archive format"),
        Arguments.of("C:", "Windows drive prefix"),
        Arguments.of("c:/windows/x", "Windows drive prefix"),
        Arguments.of("C:x", "Windows drive prefix"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidPaths")
  void invalidPathsAreRefusedNamingThePathAndRule(String path, String rule) {
    assertThat(PathRules.isValid(path)).isFalse();
    assertThatThrownBy(() -> PathRules.validate(path))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("path '")
        .hasMessageContaining(rule)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u0000", "\u2028"));
  }

  @Test
  void limitsAreInclusive() {
    assertThat(PathRules.isValid("a/" + "x".repeat(255))).isTrue();
    assertThat(PathRules.isValid(deepPath(1024))).isTrue();
    assertThat(PathRules.isValid("a/".repeat(63) + "a")).isTrue();
  }

  @Test
  void messageShowsInvisibleCharactersEscaped() {
    assertThatThrownBy(() -> PathRules.validate("a\nb"))
        .hasMessage("path 'a\\u000Ab': contains control character U+000A");
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> PathRules.validate(null)).isInstanceOf(UsageException.class);
  }

  static Stream<Arguments> collisions() {
    return Stream.of(
        Arguments.of(List.of("A/x", "a/x"), "'A/x' and 'a/x' differ only in case"),
        Arguments.of(List.of("dir/README", "dir/readme"), "differ only in case"),
        Arguments.of(List.of("k", "\u212a"), "differ only in case"), // Kelvin sign
        Arguments.of(List.of("caf\u00e9", "cafe\u0301"), "are the same after NFC normalisation"),
        Arguments.of(List.of("x", "x"), "'x' is listed twice"),
        Arguments.of(List.of("a", "a/b"), "'a' is a file but also a directory of path 'a/b'"),
        Arguments.of(List.of("a/b/c", "a/b"), "'a/b' is a file but also a directory"),
        Arguments.of(List.of("Lib", "lib/x.jar"), "'Lib' is a file but also a directory"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("collisions")
  void collisionsAreRefusedNamingBothPaths(List<String> paths, String message) {
    assertThatThrownBy(() -> PathRules.checkCollisions(paths))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void distinctPathsDoNotCollide() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      paths.add("dir" + (i % 10) + "/file" + i);
    }
    paths.addAll(List.of("ab", "a/b", "a.b", "stra\u00dfe", "strasse"));
    assertThatCode(() -> PathRules.checkCollisions(paths)).doesNotThrowAnyException();
  }

  @Test
  void utf8OrderDiffersFromUtf16OrderForSupplementaryCharacters() {
    String supplementary = "\uD83D\uDE00"; // U+1F600: F0 9F 98 80 in UTF-8
    String bmpHigh = "\uFF61"; // U+FF61: EF BD A1
    assertThat(supplementary.compareTo(bmpHigh)).isNegative(); // UTF-16 order
    assertThat(PathRules.compareUtf8(supplementary, bmpHigh)).isPositive(); // bytewise order
    assertThat(PathRules.compareUtf8("a", "b")).isNegative();
    assertThat(PathRules.compareUtf8("a", "a/b")).isNegative();
    assertThat(PathRules.compareUtf8("Z", "a")).isNegative();
  }

  @Test
  void utf8OrderWithoutEncodingAgreesWithTheEncodedBytesOnRandomStrings() {
    // pieces that meet at the first difference: ASCII, 2- and 3-byte chars on both sides of the
    // surrogate block, pairs, and lone surrogates (encoded as '?', which sorts among ASCII)
    String[] pieces = {
      "a",
      "b",
      "/",
      "?",
      "\u00e9",
      "\u07ff",
      "\u0800",
      "\ud7ff",
      "\ue000",
      "\uff61",
      "\uffff",
      "\ud83d\ude00",
      "\ud800\udc00",
      "\udbff\udfff",
      "\ud800",
      "\udc00"
    };
    java.util.Random random = new java.util.Random(20261207);
    for (int i = 0; i < 200_000; i++) {
      String a = randomString(random, pieces);
      String b =
          random.nextInt(4) == 0 ? a + randomString(random, pieces) : randomString(random, pieces);
      int expected =
          Integer.signum(
              java.util.Arrays.compareUnsigned(
                  a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(Integer.signum(PathRules.compareUtf8(a, b)))
          .as("%s vs %s", a, b)
          .isEqualTo(expected);
      assertThat(Integer.signum(PathRules.compareUtf8(b, a))).isEqualTo(-expected);
    }
  }

  private static String randomString(java.util.Random random, String[] pieces) {
    StringBuilder sb = new StringBuilder("p");
    for (int n = random.nextInt(5); n > 0; n--) {
      sb.append(pieces[random.nextInt(pieces.length)]);
    }
    return sb.toString();
  }

  /** A valid path of exactly {@code bytes} ASCII bytes made of 200-byte components. */
  private static String deepPath(int bytes) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() + 201 < bytes) {
      sb.append("y".repeat(200)).append('/');
    }
    sb.append("z".repeat(bytes - sb.length()));
    return sb.toString();
  }

  /**
   * The ASCII fast path may only ever accept what the full rules accept, and must not refuse what
   * they accept: checked on seeded random paths near every limit, plus the edge cases by hand.
   */
  @Test
  void fastPathAgreesWithTheFullRules() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ab./\\:-_ \u0000\u001f\u007f~Ae\u0301";
    List<String> cases =
        new ArrayList<>(
            List.of(
                "", "/", "a", ".", "..", "a/.", "a/..", "./a", "../a", "a//b", "a/", "C:x", "1:x",
                ":x", "a\\b", "..a", "a..", ".a/b", "a b/c"));
    cases.add("a/".repeat(63) + "a");
    cases.add("a/".repeat(64) + "a");
    cases.add("x".repeat(255));
    cases.add("x".repeat(256));
    cases.add(("y".repeat(200) + "/").repeat(5) + "z".repeat(23));
    cases.add(("y".repeat(200) + "/").repeat(5) + "z".repeat(24));
    for (int i = 0; i < 200_000; i++) {
      int len = random.nextInt(12);
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      cases.add(sb.toString());
    }
    for (String path : cases) {
      assertThat(PathRules.relativePathProblem(path) == null)
          .as("'%s'", path)
          .isEqualTo(PathRules.fullRulesProblem(path) == null);
    }
  }

  @Test
  void asciiFoldIsTheFullFold() {
    for (char c = 0; c < 0x80; c++) {
      String s = "a" + c + "Z";
      assertThat(PathRules.foldKey(s)).as("U+%04X", (int) c).isEqualTo(PathRules.fullFoldKey(s));
    }
    // one non-ASCII character anywhere takes the full fold
    assertThat(PathRules.foldKey("Docs/\u212A.txt")).isEqualTo("docs/k.txt");
    assertThat(PathRules.foldKey("e\u0301/A")).isEqualTo("\u00e9/a");
  }
}
