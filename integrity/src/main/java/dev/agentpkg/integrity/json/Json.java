package dev.agentpkg.integrity.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Strict JSON parsing for untrusted input (manifests, envelopes, ledger lines): duplicate keys are
 * an error, sizes are bounded, trailing tokens are refused. The mapper is immutable once built.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(16 * 1024 * 1024)
                .maxNumberLength(32)
                .build());
  }

  /** Reads one value from a parser that goes on (the fields after it are not trailing tokens). */
  private static final ObjectReader VALUE =
      MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses a JSON document; {@code what} names the input in the error message. */
  public static JsonNode parse(byte[] bytes, String what) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new UsageException(what + ": empty document");
      }
      return node;
    } catch (IOException e) {
      throw new UsageException(what + ": malformed JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Parses a document that must be a JSON object, leaving out the named top-level fields: their
   * values are still read and checked as JSON, but no nodes are built for them (a 20,000-entry file
   * list is most of the cost of reading a manifest). {@code null} when the document is valid JSON
   * but not an object.
   */
  public static ObjectNode parseObjectWithout(byte[] bytes, String what, Set<String> leftOut) {
    try (JsonParser p = MAPPER.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new UsageException(what + ": empty document");
      }
      if (first != JsonToken.START_OBJECT) {
        VALUE.readTree(p); // a malformed document is reported as such, not as "not an object"
        return null;
      }
      ObjectNode o = MAPPER.createObjectNode();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (leftOut.contains(name)) {
          p.skipChildren();
        } else {
          o.set(name, VALUE.readTree(p));
        }
      }
      if (p.nextToken() != null) {
        throw new UsageException(what + ": malformed JSON: trailing content after the object");
      }
      return o;
    } catch (IOException e) {
      throw new UsageException(what + ": malformed JSON: " + firstLine(e.getMessage()), e);
    }
  }

  public static JsonNode parse(String text, String what) {
    return parse(text.getBytes(StandardCharsets.UTF_8), what);
  }

  /** Writes a value as compact (not canonical) JSON for output. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
