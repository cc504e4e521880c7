package dev.agentpkg.integrity.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  private static final Set<String> FILES = Set.of("files");

  private static ObjectNode without(String json) {
    return Json.parseObjectWithout(json.getBytes(StandardCharsets.UTF_8), "m.json", FILES);
  }

  @Test
  void leavesOutTheNamedFieldsAndKeepsTheRestAsParsed() {
    ObjectNode o = without("{\"id\":\"P\",\"files\":[{\"path\":\"a\"}],\"n\":{\"k\":[1,2]}}");
    assertThat(o.fieldNames()).toIterable().containsExactly("id", "n");
    assertThat(o).isEqualTo(Json.parse("{\"id\":\"P\",\"n\":{\"k\":[1,2]}}", "x"));
  }

  @Test
  void aDocumentThatIsNotAnObjectGivesNull() {
    assertThat(without("[1,2]")).isNull();
    assertThat(without("\"text\"")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"id\":\"P\",\"id\":\"Q\"}",
        "{\"files\":[{\"path\":\"a\",\"path\":\"b\"}]}",
        "{\"files\":[1,}",
        "{\"id\":\"P\"} {}",
        "{\"id\":\"P\"",
        "[1,"
      })
  void isAsStrictAsParseInsideTheLeftOutPartToo(String json) {
    assertThatThrownBy(() -> without(json)).isInstanceOf(UsageException.class);
  }
}
