package dev.agentpkg.integrity.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Strict JSON parsing for untrusted input (manifests, envelopes, ledger lines): duplicate keys are
 * an error, sizes are bounded, trailing tokens are refused. Trees are built straight from the
 * streaming parser: an {@code ObjectMapper} costs ~30 ms of start-up on the main thread, and only
 * {@link #write} needs one.
 */
public final class Json {
  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxStringLength(16 * 1024 * 1024)
                  .maxNumberLength(32)
                  .build())
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Built on first use: most commands only read JSON. */
  private static final class Writer {
    static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY).build();
  }

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Parses a JSON document; {@code what} names the input in the error message. */
  public static JsonNode parse(byte[] bytes, String what) {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() == null) {
        throw new UsageException(what + ": empty document");
      }
      JsonNode node = value(p);
      refuseTrailing(p, what);
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
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new UsageException(what + ": empty document");
      }
      if (first != JsonToken.START_OBJECT) {
        value(p); // a malformed document is reported as such, not as "not an object"
        refuseTrailing(p, what);
        return null;
      }
      ObjectNode o = NODES.objectNode();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (leftOut.contains(name)) {
          p.skipChildren();
        } else {
          o.set(name, value(p));
        }
      }
      refuseTrailing(p, what);
      return o;
    } catch (IOException e) {
      throw new UsageException(what + ": malformed JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** The value starting at the parser's current token, which ends on the value's last token. */
  private static JsonNode value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.set(name, value(p));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(value(p));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        // the node types ObjectMapper.readTree gives: int, long, then BigInteger
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  private static void refuseTrailing(JsonParser p, String what) throws IOException {
    if (p.nextToken() != null) {
      throw new UsageException(what + ": malformed JSON: trailing content after the value");
    }
  }

  public static JsonNode parse(String text, String what) {
    return parse(text.getBytes(StandardCharsets.UTF_8), what);
  }

  /** Writes a value as compact (not canonical) JSON for output. */
  public static String write(Object value) {
    try {
      return Writer.MAPPER.writeValueAsString(value);
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
