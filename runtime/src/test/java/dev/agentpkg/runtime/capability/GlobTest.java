package dev.agentpkg.runtime.capability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
  private static List<String> segments(String path) {
    return path.isEmpty() ? List.of() : Arrays.asList(path.split("/"));
  }

  @ParameterizedTest(name = "{0} ~ ''{1}'' -> {2}")
  @CsvSource({
    "ledger/*.jsonl, ledger/governance.jsonl, true",
    "ledger/*.jsonl, ledger/.jsonl, true",
    "ledger/*.jsonl, ledger/x/y.jsonl, false",
    "ledger/*.jsonl, ledger/governance.json, false",
    "ledger/*.jsonl, ledger, false",
    "ledger/*.jsonl, other/a.jsonl, false",
    "a/**/b, a/b, true",
    "a/**/b, a/x/b, true",
    "a/**/b, a/x/y/b, true",
    "a/**/b, a/x/y/c, false",
    "a/**/b, a/b/c, false",
    "a/**/b, b, false",
    "**, '', true",
    "**, x, true",
    "**, x/y/z, true",
    "**/*.key, k.key, true",
    "**/*.key, d/e/k.key, true",
    "**/*.key, d/e/k.keys, false",
    "data/**, data, true",
    "data/**, data/x/y, true",
    "data/**, database/x, false",
    "*, x, true",
    "*, x/y, false",
    "*, '', false",
    "a*b*c, abc, true",
    "a*b*c, axxbyyc, true",
    "a*b*c, axxbyy, false",
    "a*b*c, abcbc, true",
    "*.*, noext, false",
    "x/*/z, x/y/z, true",
    "x/*/z, x/z, false",
    "**/**, q, true",
    "a/**/**/b, a/b, true",
    "Data/x, data/x, false",
    "a.b, axb, false",
    "a+b, a+b, true",
    "(x), (x), true"
  })
  void matchesSegmentWise(String pattern, String path, boolean expected) {
    assertThat(Glob.exact(pattern).matches(segments(path))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} below ''{1}'' -> {2}")
  @CsvSource({
    "ledger/*.jsonl, '', true",
    "ledger/*.jsonl, ledger, true",
    "ledger/*.jsonl, ledger/x, false",
    "ledger/*.jsonl, ledger/a.jsonl, false",
    "ledger/*.jsonl, data, false",
    "a/**/b, a, true",
    "a/**/b, a/x/y, true",
    "a/**/b, a/x/b, true",
    "a/**/b, c, false",
    "data/**, data/x/y, true",
    "**, '', true",
    "**, deep/down, true",
    "x, '', true",
    "x, x, false",
    "*/y, anything, true",
    "*/y, anything/y, false"
  })
  void couldMatchBelowADirectory(String pattern, String dir, boolean expected) {
    assertThat(Glob.exact(pattern).couldMatchBelow(segments(dir))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"secrets/**, SECRETS/K, true", "*.KEY, id.key, true", "a/b, a/c, false"})
  void ignoringCaseFoldsPatternAndPath(String pattern, String path, boolean expected) {
    assertThat(Glob.ignoringCase(pattern).matches(segments(path))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'*', '', true", "'**', '', true", "a*, '', false", "'', '', true", "'', a, false"})
  void segmentMatchesEdgeCases(String pattern, String name, boolean expected) {
    assertThat(Glob.segmentMatches(pattern, name)).isEqualTo(expected);
  }
}
