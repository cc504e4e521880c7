package dev.agentpkg.cli.run;

import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.state.FileOwnership;
import dev.agentpkg.runtime.capability.CapabilityEnforcer;
import java.util.List;

/** Builds the enforcer for a root: installed package files come from the ownership index. */
public final class Capabilities {
  private Capabilities() {}

  public static CapabilityEnforcer enforcer(
      Root root, dev.agentpkg.integrity.manifest.Capabilities declared) {
    FileOwnership ownership = new FileOwnership(root);
    return new CapabilityEnforcer(
        root.dir(), declared, path -> !ownership.owners(List.of(path)).isEmpty());
  }
}
