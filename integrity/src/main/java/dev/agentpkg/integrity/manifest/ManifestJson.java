package dev.agentpkg.integrity.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reading and writing {@code package.json} and {@code manifest.json}. Reading is strict: unknown
 * keys, wrong types and explicit nulls are refused, so a typo never silently drops a declaration. A
 * {@code manifest.json} must also carry every key {@code pack} writes.
 */
final class ManifestJson {
  private static final Set<String> DESCRIPTOR_KEYS =
      Set.of(
          "id",
          "name",
          "version",
          "tier",
          "spec_id",
          "framework_id",
          "description",
          "dependencies",
          "capabilities",
          "runtime");
  private static final Set<String> MANIFEST_ONLY_KEYS = Set.of("schema", "files");
  private static final Set<String> FILE_KEYS = Set.of("path", "sha256", "size", "mode");
  private static final List<String> CAPABILITY_KEYS =
      List.of("read", "write", "execute", "forbidden");

  private final String what;
  private final boolean manifest;

  private ManifestJson(String what, boolean manifest) {
    this.what = what;
    this.manifest = manifest;
  }

  static PackageDescriptor parseDescriptor(byte[] json, String what) {
    ManifestJson reader = new ManifestJson(what, false);
    ObjectNode root = reader.root(json);
    for (String key : MANIFEST_ONLY_KEYS) {
      if (root.has(key)) {
        throw reader.fail("key '" + key + "' is computed by pack and must not be in package.json");
      }
    }
    reader.refuseUnknown(root, "", DESCRIPTOR_KEYS);
    return reader.descriptor(root);
  }

  static Manifest parseManifest(byte[] json, String what) {
    ManifestJson reader = new ManifestJson(what, true);
    ObjectNode root = reader.root(json);
    String schema = reader.requiredText(root, "", "schema");
    if (!Manifest.SCHEMA.equals(schema)) {
      throw reader.fail(
          "schema "
              + Messages.quote(schema)
              + " is not supported (expected "
              + Manifest.SCHEMA
              + ")");
    }
    Set<String> allowed = new HashSet<>(DESCRIPTOR_KEYS);
    allowed.addAll(MANIFEST_ONLY_KEYS);
    reader.refuseUnknown(root, "", allowed);
    PackageDescriptor descriptor = reader.descriptor(root);
    ArrayNode filesNode = reader.array(reader.required(root, "", "files"), "files");
    List<FileEntry> files = new ArrayList<>(filesNode.size());
    for (int i = 0; i < filesNode.size(); i++) {
      FileEntry plain = plainFileEntry(filesNode.get(i));
      if (plain != null) {
        files.add(plain);
        continue;
      }
      String at = "files[" + i + "]";
      ObjectNode f = reader.object(filesNode.get(i), at);
      reader.refuseUnknown(f, at + ".", FILE_KEYS);
      String path = reader.requiredText(f, at + ".", "path");
      String sha256 = reader.requiredText(f, at + ".", "sha256");
      JsonNode sizeNode = reader.required(f, at + ".", "size");
      if (!sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong()) {
        throw reader.fail(at + ".size must be an integer, got " + describe(sizeNode));
      }
      String mode = reader.requiredText(f, at + ".", "mode");
      files.add(reader.build(at, () -> new FileEntry(path, sha256, sizeNode.longValue(), mode)));
    }
    return reader.build(null, () -> new Manifest(descriptor, files));
  }

  /**
   * An entry of exactly the four keys with the right types, built without the per-field context
   * strings: ~20,000 entries per large manifest. Null for anything else, or when the entry's own
   * rules refuse it, so the checked path below words the error.
   */
  private static FileEntry plainFileEntry(JsonNode f) {
    if (!f.isObject() || f.size() != FILE_KEYS.size()) {
      return null;
    }
    JsonNode path = f.get("path");
    JsonNode sha256 = f.get("sha256");
    JsonNode size = f.get("size");
    JsonNode mode = f.get("mode");
    if (path == null
        || !path.isTextual()
        || sha256 == null
        || !sha256.isTextual()
        || size == null
        || !size.isIntegralNumber()
        || !size.canConvertToLong()
        || mode == null
        || !mode.isTextual()) {
      return null;
    }
    try {
      return new FileEntry(
          path.textValue(), sha256.textValue(), size.longValue(), mode.textValue());
    } catch (UsageException e) {
      return null;
    }
  }

  static ObjectNode write(PackageDescriptor d) {
    ObjectNode o = Json.object();
    o.put("id", d.id().value());
    o.put("name", d.name());
    o.put("version", d.version().toString());
    o.put("tier", d.tier().name());
    o.put("spec_id", d.specId());
    if (d.frameworkId() != null) {
      o.put("framework_id", d.frameworkId());
    }
    o.put("description", d.description());
    ArrayNode deps = o.putArray("dependencies");
    for (Dependency dep : d.dependencies()) {
      deps.addObject().put("id", dep.id().value()).put("version", dep.range().toString());
    }
    ObjectNode caps = o.putObject("capabilities");
    Capabilities c = d.capabilities();
    strings(caps.putArray("read"), c.read());
    strings(caps.putArray("write"), c.write());
    strings(caps.putArray("execute"), c.execute());
    strings(caps.putArray("forbidden"), c.forbidden());
    if (d.runtime() != null) {
      ObjectNode rt = o.putObject("runtime");
      rt.put("entrypoint", d.runtime().entrypoint());
      strings(rt.putArray("classpath"), d.runtime().classpath());
    }
    return o;
  }

  static ObjectNode write(Manifest m) {
    ObjectNode o = Json.object();
    o.put("schema", Manifest.SCHEMA);
    o.setAll(write(m.descriptor()));
    ArrayNode files = o.putArray("files");
    for (FileEntry f : m.files()) {
      files
          .addObject()
          .put("path", f.path())
          .put("sha256", f.sha256())
          .put("size", f.size())
          .put("mode", f.mode());
    }
    return o;
  }

  private PackageDescriptor descriptor(ObjectNode root) {
    String idText = requiredText(root, "", "id");
    PackageId id = build("id", () -> new PackageId(idText));
    String name = requiredText(root, "", "name");
    String versionText = requiredText(root, "", "version");
    SemVer version = build("version", () -> SemVer.parse(versionText));
    String tierText = requiredText(root, "", "tier");
    Tier tier = tier(tierText);
    String specId = requiredText(root, "", "spec_id");
    String frameworkId = optionalText(root, "", "framework_id");
    String description =
        manifest ? requiredText(root, "", "description") : optionalText(root, "", "description");
    List<Dependency> dependencies = dependencies(root);
    Capabilities capabilities = capabilities(root);
    RuntimeSpec runtime = runtime(root);
    return build(
        null,
        () ->
            new PackageDescriptor(
                id,
                name,
                version,
                tier,
                specId,
                frameworkId,
                description,
                dependencies,
                capabilities,
                runtime));
  }

  private Tier tier(String text) {
    for (Tier t : Tier.values()) {
      if (t.name().equals(text)) {
        return t;
      }
    }
    throw fail("tier " + Messages.quote(text) + " is not one of G0, T0, T1, T2, T3");
  }

  private List<Dependency> dependencies(ObjectNode root) {
    JsonNode node = manifest ? required(root, "", "dependencies") : root.get("dependencies");
    if (node == null) {
      return List.of();
    }
    ArrayNode array = array(node, "dependencies");
    List<Dependency> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String at = "dependencies[" + i + "]";
      ObjectNode d = object(array.get(i), at);
      refuseUnknown(d, at + ".", Set.of("id", "version"));
      String idText = requiredText(d, at + ".", "id");
      String rangeText = requiredText(d, at + ".", "version");
      PackageId id = build(at + ".id", () -> new PackageId(idText));
      VersionRange range = build(at + ".version", () -> VersionRange.parse(rangeText));
      result.add(new Dependency(id, range));
    }
    return result;
  }

  private Capabilities capabilities(ObjectNode root) {
    JsonNode node = manifest ? required(root, "", "capabilities") : root.get("capabilities");
    if (node == null) {
      return Capabilities.none();
    }
    ObjectNode caps = object(node, "capabilities");
    refuseUnknown(caps, "capabilities.", Set.copyOf(CAPABILITY_KEYS));
    List<List<String>> lists = new ArrayList<>(4);
    for (String key : CAPABILITY_KEYS) {
      JsonNode list = manifest ? required(caps, "capabilities.", key) : caps.get(key);
      lists.add(list == null ? List.of() : strings(list, "capabilities." + key));
    }
    return build(
        null, () -> new Capabilities(lists.get(0), lists.get(1), lists.get(2), lists.get(3)));
  }

  private RuntimeSpec runtime(ObjectNode root) {
    JsonNode node = root.get("runtime");
    if (node == null) {
      return null;
    }
    ObjectNode rt = object(node, "runtime");
    refuseUnknown(rt, "runtime.", Set.of("entrypoint", "classpath"));
    String entrypoint = requiredText(rt, "runtime.", "entrypoint");
    List<String> classpath = strings(required(rt, "runtime.", "classpath"), "runtime.classpath");
    return build(null, () -> new RuntimeSpec(entrypoint, classpath));
  }

  private ObjectNode root(byte[] json) {
    JsonNode node = Json.parse(json, what);
    if (!node.isObject()) {
      throw fail("must be a JSON object, got " + describe(node));
    }
    return (ObjectNode) node;
  }

  private void refuseUnknown(ObjectNode node, String prefix, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw fail(
            "unknown key "
                + Messages.quote(prefix + key)
                + " (allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private JsonNode required(ObjectNode node, String prefix, String key) {
    JsonNode value = node.get(key);
    if (value == null) {
      throw fail("missing required key '" + prefix + key + "'");
    }
    return value;
  }

  private String requiredText(ObjectNode node, String prefix, String key) {
    return text(required(node, prefix, key), prefix + key);
  }

  private String optionalText(ObjectNode node, String prefix, String key) {
    JsonNode value = node.get(key);
    return value == null ? null : text(value, prefix + key);
  }

  private String text(JsonNode node, String field) {
    if (!node.isTextual()) {
      throw fail(field + " must be a string, got " + describe(node));
    }
    return node.textValue();
  }

  private ArrayNode array(JsonNode node, String field) {
    if (!node.isArray()) {
      throw fail(field + " must be an array, got " + describe(node));
    }
    return (ArrayNode) node;
  }

  private ObjectNode object(JsonNode node, String field) {
    if (!node.isObject()) {
      throw fail(field + " must be an object, got " + describe(node));
    }
    return (ObjectNode) node;
  }

  private List<String> strings(JsonNode node, String field) {
    ArrayNode array = array(node, field);
    List<String> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      result.add(text(array.get(i), field + "[" + i + "]"));
    }
    return result;
  }

  private static void strings(ArrayNode target, List<String> values) {
    values.forEach(target::add);
  }

  /** Runs a constructor or parser, prefixing its message with the document and field. */
  private <T> T build(String field, Supplier<T> supplier) {
    try {
      return supplier.get();
    } catch (UsageException e) {
      String prefix = field == null ? what + ": " : what + ": " + field + ": ";
      throw new UsageException(prefix + e.getMessage(), e);
    }
  }

  private UsageException fail(String message) {
    return new UsageException(what + ": " + message);
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      case ARRAY -> "array";
      case OBJECT -> "object";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
