package dev.agentpkg.registry;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the root a command works on (SPEC 2.1). */
public final class RootLocator {
  public static final String ENV = "AGENTPKG_ROOT";

  private RootLocator() {}

  /**
   * {@code --root}, else {@code AGENTPKG_ROOT}, else the nearest ancestor of the working directory
   * holding {@code registries/packages_registry.csv}. An explicitly given directory that is not a
   * root is an error rather than a reason to keep searching: the user asked for that one.
   */
  public static Root locate(AppContext ctx, Optional<String> rootFlag) {
    if (rootFlag.isPresent()) {
      return explicit(ctx, rootFlag.get(), "--root");
    }
    Optional<String> env = ctx.envValue(ENV);
    if (env.isPresent()) {
      return explicit(ctx, env.get(), ENV);
    }
    for (Path d = ctx.workingDirectory().toAbsolutePath().normalize();
        d != null;
        d = d.getParent()) {
      Root candidate = new Root(d);
      if (isRoot(candidate)) {
        return candidate;
      }
    }
    throw new NotFoundException(
        "no agentpkg root found in "
            + ctx.workingDirectory().toAbsolutePath().normalize()
            + " or its parents; run `agentpkg init --root DIR` or pass --root");
  }

  /** Where {@code init} should create a root: --root, else AGENTPKG_ROOT, else the working dir. */
  public static Path initTarget(AppContext ctx, Optional<String> rootFlag) {
    if (rootFlag.isPresent()) {
      return ctx.path(rootFlag.get());
    }
    return ctx.envValue(ENV).map(ctx::path).orElse(ctx.workingDirectory().toAbsolutePath());
  }

  /** True when {@code root} holds a packages registry, the mark of an initialised root. */
  public static boolean isRoot(Root root) {
    return Files.isRegularFile(root.packagesRegistry());
  }

  private static Root explicit(AppContext ctx, String given, String source) {
    Root root = new Root(ctx.path(given));
    if (!Files.isDirectory(root.dir())) {
      throw new NotFoundException(
          source
              + " "
              + root.dir()
              + " does not exist; create a root there with `agentpkg init --root "
              + root.dir()
              + "`");
    }
    if (!isRoot(root)) {
      throw new NotFoundException(
          source
              + " "
              + root.dir()
              + " is not an agentpkg root (no registries/packages_registry.csv); run `agentpkg init --root "
              + root.dir()
              + "`");
    }
    return root;
  }
}
