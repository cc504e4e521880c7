package dev.agentpkg.registry.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeVerdictTest {
  static final String POLICY = "ab".repeat(32);

  @Test
  void anEmptyViolationListIsAllowedAndSaysSoInTheLedger() {
    CodeVerdict v = new CodeVerdict(2, 14, POLICY, List.of(), 0);
    assertThat(v.allowed()).isTrue();
    assertThat(v.summary()).isEqualTo("2 jars, 14 classes: allowed (policy abababababab)");
    assertThat(v.toJson().toString())
        .isEqualTo(
            "{\"verdict\":\"allowed\",\"jars\":2,\"classes\":14,\"violations\":0,"
                + "\"policy_sha256\":\""
                + POLICY
                + "\"}");
  }

  @Test
  void theRefusalListsTheFirstOffendersAndCountsTheRest() {
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      listed.add("a.B#run -> java.io.File#<init> [file] " + i);
    }
    CodeVerdict v = new CodeVerdict(1, 1, POLICY, listed, 30);
    assertThat(v.allowed()).isFalse();
    String text = v.refusal("PKG-T1-X-001");
    assertThat(text)
        .startsWith("PKG-T1-X-001 is refused by the bytecode scan: 30 forbidden references")
        .contains("[file] 0\n")
        .contains("[file] 19\n")
        .doesNotContain("[file] 20")
        .endsWith("... and 10 more");
    assertThat(v.toJson().get("verdict").asText()).isEqualTo("refused");
  }

  @Test
  void aCountBelowTheListedViolationsIsABug() {
    assertThatThrownBy(() -> new CodeVerdict(1, 1, POLICY, List.of("x"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
