package dev.agentpkg.api;

/**
 * What a runtime package implements. The host instantiates the manifest's {@code
 * runtime.entrypoint} class (public, with a public no-argument constructor) inside an isolated
 * class loader and calls {@link #run(ModuleContext)} once.
 */
public interface AgentModule {
  /**
   * Runs the module.
   *
   * @param ctx the only door to the outside world: arguments, governed files, evidence, clock,
   *     output
   * @return the exit status; {@code 0} for success
   */
  int run(ModuleContext ctx) throws Exception;
}
