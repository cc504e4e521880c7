package dev.agentpkg.runtime.scan;

import dev.agentpkg.integrity.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What module bytecode may reference, as data: an ordered list of rules (first match wins), the
 * invokedynamic bootstraps javac uses for lambdas, string concatenation, records and switches, and
 * the class-name prefixes a module may not define classes in. A reference no rule matches is not a
 * JDK class the policy knows, so it is an {@code unknown-class} unless the scanned jars define it.
 */
public final class ScanPolicy {
  private static final String VERSION = "agentpkg-scan-policy 1";

  private final List<PolicyRule> rules;
  private final List<Pattern> patterns;
  private final List<String> bootstraps;
  private final List<String> hostNamespaces;
  private final String text;
  private final String sha256;

  ScanPolicy(List<PolicyRule> rules, List<String> bootstraps, List<String> hostNamespaces) {
    this.rules = List.copyOf(rules);
    this.bootstraps = List.copyOf(bootstraps);
    this.hostNamespaces = List.copyOf(hostNamespaces);
    List<Pattern> compiled = new ArrayList<>();
    for (PolicyRule rule : this.rules) {
      compiled.add(rule.classPattern());
    }
    this.patterns = List.copyOf(compiled);
    for (String bootstrap : this.bootstraps) {
      if (bootstrap.indexOf('#') <= 0 || bootstrap.contains(".")) {
        throw new IllegalArgumentException("bootstrap must be internal/Name#method: " + bootstrap);
      }
    }
    StringBuilder out = new StringBuilder(VERSION).append('\n');
    for (PolicyRule rule : this.rules) {
      out.append(rule.render()).append('\n');
    }
    for (String bootstrap : this.bootstraps) {
      out.append("bootstrap ").append(bootstrap).append('\n');
    }
    for (String prefix : this.hostNamespaces) {
      out.append("host-namespace ").append(prefix).append('\n');
    }
    this.text = out.toString();
    this.sha256 = Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The policy every module of every tier is held to. */
  public static ScanPolicy standard() {
    return new ScanPolicy(StandardRules.rules(), StandardRules.bootstraps(), StandardRules.hosts());
  }

  /** Hex SHA-256 of {@link #describe()}, which renders every rule in order. */
  public String sha256() {
    return sha256;
  }

  /** One line per rule, bootstrap and host namespace, in evaluation order. */
  public String describe() {
    return text;
  }

  List<PolicyRule> rules() {
    return rules;
  }

  /** The same policy with {@code rule} evaluated before all others. */
  ScanPolicy withFirstRule(PolicyRule rule) {
    List<PolicyRule> changed = new ArrayList<>();
    changed.add(rule);
    changed.addAll(rules);
    return new ScanPolicy(changed, bootstraps, hostNamespaces);
  }

  /**
   * The first matching rule's verdict ({@code allow} or a category), or {@code null} when no rule
   * covers {@code owner}.
   *
   * @param owner an internal class name
   * @param name a member name, or {@code null} for the type itself
   */
  String verdict(String owner, String name, String descriptor) {
    for (int i = 0; i < rules.size(); i++) {
      PolicyRule rule = rules.get(i);
      if (rule.matchesMember(name, descriptor) && patterns.get(i).matcher(owner).matches()) {
        return rule.verdict();
      }
    }
    return null;
  }

  boolean allowedBootstrap(String owner, String name) {
    for (String bootstrap : bootstraps) {
      int hash = bootstrap.indexOf('#');
      String method = bootstrap.substring(hash + 1);
      if (bootstrap.substring(0, hash).equals(owner)
          && (method.equals("*") || method.equals(name))) {
        return true;
      }
    }
    return false;
  }

  /** The host namespace {@code internalName} falls in, or {@code null}. */
  String hostNamespace(String internalName) {
    for (String prefix : hostNamespaces) {
      if (internalName.startsWith(prefix)) {
        return prefix;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScanPolicy other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }

  @Override
  public String toString() {
    return "ScanPolicy[" + sha256 + "]";
  }
}
