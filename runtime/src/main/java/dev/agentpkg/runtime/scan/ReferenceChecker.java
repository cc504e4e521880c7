package dev.agentpkg.runtime.scan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.objectweb.asm.Type;

/** Decides one reference against the policy and the classes the scanned jars define. */
final class ReferenceChecker {
  private final ScanPolicy policy;
  private final Map<String, List<ClassInfo>> defined;
  private final Map<String, Optional<Finding>> cache = new HashMap<>();

  ReferenceChecker(ScanPolicy policy, Map<String, List<ClassInfo>> defined) {
    this.policy = policy;
    this.defined = defined;
  }

  ScanPolicy policy() {
    return policy;
  }

  static String dotted(String internalName) {
    return internalName.replace('/', '.');
  }

  /** An internal name or an array descriptor. */
  Finding type(String name) {
    if (name.startsWith("[")) {
      return descriptorType(Type.getType(name));
    }
    return cached("T" + name, () -> checkType(name));
  }

  /** Every class named by a field or method descriptor. */
  Finding descriptor(String descriptor) {
    Type type = Type.getType(descriptor);
    if (type.getSort() != Type.METHOD) {
      return descriptorType(type);
    }
    for (Type argument : type.getArgumentTypes()) {
      Finding finding = descriptorType(argument);
      if (finding != null) {
        return finding;
      }
    }
    return descriptorType(type.getReturnType());
  }

  Finding member(String owner, String name, String descriptor, boolean method) {
    if (owner.startsWith("[")) {
      // clone() and length of an array: only the element type matters
      return type(owner);
    }
    String key = (method ? "M" : "F") + owner + '#' + name + descriptor;
    return cached(key, () -> checkMember(owner, name, descriptor, method));
  }

  // not computeIfAbsent: a member's check recurses into its descriptor's types
  private Finding cached(String key, Supplier<Finding> check) {
    Optional<Finding> known = cache.get(key);
    if (known == null) {
      known = Optional.ofNullable(check.get());
      cache.put(key, known);
    }
    return known.orElse(null);
  }

  private Finding descriptorType(Type type) {
    Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
    return element.getSort() == Type.OBJECT ? type(element.getInternalName()) : null;
  }

  private Finding checkType(String name) {
    if (defined.containsKey(name)) {
      return null;
    }
    String verdict = policy.verdict(name, null, "");
    if (verdict == null) {
      return new Finding(dotted(name), "unknown-class");
    }
    return verdict.equals(PolicyRule.ALLOW) ? null : new Finding(dotted(name), verdict);
  }

  private Finding checkMember(String owner, String name, String descriptor, boolean method) {
    if (!defined.containsKey(owner)) {
      return outsideMember(owner, name, descriptor, method);
    }
    // walk up from a scanned class to the outside classes that could provide the member
    Deque<String> work = new ArrayDeque<>(List.of(owner));
    Set<String> seen = new HashSet<>();
    while (!work.isEmpty()) {
      String current = work.pop();
      if (!seen.add(current)) {
        continue;
      }
      List<ClassInfo> variants = defined.get(current);
      if (variants == null) {
        Finding finding = outsideMember(current, name, descriptor, method);
        // an unknown ancestor is reported where the hierarchy names it
        if (finding != null && !finding.category().equals("unknown-class")) {
          return finding;
        }
        continue;
      }
      for (ClassInfo info : variants) {
        if (!info.declares(name, descriptor)) {
          if (info.superName() != null) {
            work.add(info.superName());
          }
          work.addAll(info.interfaces());
        }
      }
    }
    return null;
  }

  private Finding outsideMember(String owner, String name, String descriptor, boolean method) {
    String reference = dotted(owner) + "#" + name + (method ? descriptor : "");
    String verdict = policy.verdict(owner, name, descriptor);
    if (verdict == null) {
      return new Finding(reference, "unknown-class");
    }
    if (!verdict.equals(PolicyRule.ALLOW)) {
      return new Finding(reference, verdict);
    }
    // an allowed member must not hand out a denied type (Class#getEnclosingMethod -> Method)
    Finding carried = descriptor(descriptor);
    return carried == null ? null : new Finding(reference, carried.category());
  }
}
