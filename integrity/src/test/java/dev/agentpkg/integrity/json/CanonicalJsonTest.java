package dev.agentpkg.integrity.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void sortsKeysAndDropsWhitespace() {
    assertThat(
            CanonicalJson.string(
                Json.parse("{ \"b\": [1, true, null], \"a\": {\"y\":1,\"x\":2} }", "t")))
        .isEqualTo("{\"a\":{\"x\":2,\"y\":1},\"b\":[1,true,null]}");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersWhereverTheyStand() {
    ObjectNode o = Json.object();
    o.put("k", "plain\"q\\b\u0001\n\t\u001fé✓");
    o.put("lead", "\"x");
    assertThat(CanonicalJson.string(o))
        .isEqualTo("{\"k\":\"plain\\\"q\\\\b\\u0001\\n\\t\\u001fé✓\",\"lead\":\"\\\"x\"}");
  }

  @Test
  void refusesNonIntegers() {
    assertThatThrownBy(() -> CanonicalJson.string(Json.parse("{\"a\":1.5}", "t")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Whatever a string holds, its canonical form parses back to the same string. */
  @Test
  void seededStringsRoundTrip() {
    Random random = new Random(3);
    String alphabet = "ab\"\\/\u0000\u0007\b\f\n\r\t\u001f \u007fé\u2028";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = random.nextInt(8); j > 0; j--) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      ObjectNode o = Json.object();
      o.put("s", sb.toString());
      String canonical = CanonicalJson.string(o);
      assertThat(Json.parse(canonical, "t").get("s").textValue()).isEqualTo(sb.toString());
      assertThat(canonical).doesNotContainPattern("[\\x00-\\x1f]");
    }
  }
}
