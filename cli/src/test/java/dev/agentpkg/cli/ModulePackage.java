package dev.agentpkg.cli;

import dev.agentpkg.runtime.testing.ModuleJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A runtime package source folder made at test time: {@code package.json} plus a module jar
 * compiled from Java source (no binary fixtures), ready for {@code agentpkg pack --src}.
 */
final class ModulePackage {
  private final String id;
  private String version = "1.0.0";
  private String capabilities = "{}";
  private String dependencies = "[]";
  private String entrypoint;
  private final ModuleJars jar = ModuleJars.builder();
  private final Map<String, String> files = new LinkedHashMap<>();

  ModulePackage(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }

  String jarPath() {
    return "modules/" + id + "/lib/module.jar";
  }

  ModulePackage version(String v) {
    this.version = v;
    return this;
  }

  /** The capabilities object as JSON, e.g. {@code {"read":["data/*.txt"]}}. */
  ModulePackage capabilities(String json) {
    this.capabilities = json;
    return this;
  }

  ModulePackage dependencies(String json) {
    this.dependencies = json;
    return this;
  }

  /** The first source added is the entry point unless set. */
  ModulePackage source(String className, String code) {
    if (entrypoint == null) {
      entrypoint = className;
    }
    jar.source(className, code);
    return this;
  }

  /**
   * A module class {@code className} whose {@code run} body is {@code body} (it may throw, and sees
   * {@code ctx}).
   */
  ModulePackage module(String className, String body) {
    int dot = className.lastIndexOf('.');
    return source(
        className,
        "package "
            + className.substring(0, dot)
            + "; import dev.agentpkg.api.*; import java.util.*;"
            + " public class "
            + className.substring(dot + 1)
            + " implements AgentModule { public int run(ModuleContext ctx) throws Exception { "
            + body
            + " } }");
  }

  ModulePackage jarEntry(String name, byte[] content) {
    jar.entry(name, content);
    return this;
  }

  ModulePackage classpath(Path jarOrDir) {
    jar.classpath(jarOrDir);
    return this;
  }

  /** A plain payload file shipped beside the jar. */
  ModulePackage file(String path, String content) {
    files.put(path, content);
    return this;
  }

  /** Just a module jar with one class whose {@code run} body is {@code body}. */
  static Path jarOnly(Path jar, String className, String body) {
    ModulePackage p = new ModulePackage("PKG-T2-JAR-001").module(className, body);
    return p.jar.write(jar);
  }

  Path write(Path dir) throws IOException {
    String tier = id.split("-")[1];
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("package.json"),
        "{\"id\":\""
            + id
            + "\",\"name\":\"Test module\",\"version\":\""
            + version
            + "\",\"tier\":\""
            + tier
            + "\",\"spec_id\":\"SPEC-TEST-001\",\"description\":\"test\",\"dependencies\":"
            + dependencies
            + ",\"capabilities\":"
            + capabilities
            + ",\"runtime\":{\"entrypoint\":\""
            + entrypoint
            + "\",\"classpath\":[\""
            + jarPath()
            + "\"]}}",
        StandardCharsets.UTF_8);
    jar.write(dir.resolve(jarPath()));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
    }
    return dir;
  }
}
