package dev.agentpkg.registry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoreManifestTest {
  private static String cut(String json) {
    return new String(
        StoreManifest.withoutFiles(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void theTopLevelFilesMemberIsCutWhereverItIs() {
    assertThat(cut("{\"a\":1,\"files\":[{\"path\":\"x\"}],\"z\":true}"))
        .isEqualTo("{\"a\":1,\"z\":true}");
    assertThat(cut("{\"files\":[],\"z\":\"q\"}")).isEqualTo("{\"z\":\"q\"}");
    assertThat(cut("{\"a\":{\"b\":[1,2]},\"files\":[1]}")).isEqualTo("{\"a\":{\"b\":[1,2]}}");
    assertThat(cut("{\"files\":[[],{}]}")).isEqualTo("{}");
    assertThat(cut(" { \"a\" : null , \"files\" : [ ] , \"b\" : 2 } "))
        .isEqualTo(" { \"a\" : null ,  \"b\" : 2 } ");
  }

  @Test
  void stringsAndNestedKeysDoNotFoolTheScan() {
    // brackets, escaped quotes and a "files" key inside values are data, not structure
    String json =
        "{\"d\":\"]} \\\"files\\\":[\",\"n\":{\"files\":[9]},\"files\":[\"]\\\\\"],\"z\":0}";
    assertThat(cut(json)).isEqualTo("{\"d\":\"]} \\\"files\\\":[\",\"n\":{\"files\":[9]},\"z\":0}");
  }

  @Test
  void aDocumentTheScanCannotFollowIsLeftWholeForTheParser() {
    for (String bad :
        new String[] {
          "",
          "[1]",
          "{\"a\" 1}",
          "{\"files\":[1,2",
          "{\"a\":\"open",
          "{\"a\":1 \"files\":[]}",
          "{a:1}",
          "{\"unterminated key",
          "{\"a\":1,\"b"
        }) {
      assertThat(cut(bad)).as(bad).isEqualTo(bad);
    }
    assertThat(cut("{\"a\":1}")).isEqualTo("{\"a\":1}");
  }
}
