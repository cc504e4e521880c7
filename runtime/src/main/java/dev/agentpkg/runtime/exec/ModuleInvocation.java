package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.AgentModule;
import dev.agentpkg.api.CapabilityDeniedException;
import dev.agentpkg.api.ModuleContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Instantiates the entrypoint and calls it once; shared by both isolation modes. */
final class ModuleInvocation {
  private ModuleInvocation() {}

  /** Never throws: every way the module can end becomes a verdict. */
  static Verdict invoke(ClassLoader loader, String entrypoint, ModuleContext ctx) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      AgentModule module = instantiate(loader, entrypoint);
      int exit = module.run(ctx);
      return new Verdict(RunStatus.COMPLETED, exit, "module returned " + exit);
    } catch (ConstructorFailure e) {
      return verdictFor(e.getCause());
    } catch (Throwable e) {
      return verdictFor(e);
    } finally {
      thread.setContextClassLoader(previous);
      ctx.out().flush();
      ctx.err().flush();
    }
  }

  private static Verdict verdictFor(Throwable thrown) {
    if (thrown instanceof EntrypointException) {
      return Verdict.failed(RunStatus.FAILED, thrown.getMessage());
    }
    if (thrown instanceof OutOfMemoryError) {
      return Verdict.failed(RunStatus.OUT_OF_MEMORY, "module ran out of memory");
    }
    int depth = 0;
    // a module that wraps a denial still ended because of it
    for (Throwable t = thrown; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof CapabilityDeniedException) {
        return Verdict.failed(RunStatus.DENIED, "module stopped by a denial: " + t.getMessage());
      }
    }
    return Verdict.failed(RunStatus.FAILED, "module threw " + describe(thrown));
  }

  static String describe(Throwable t) {
    return t.getMessage() == null
        ? t.getClass().getName()
        : t.getClass().getName() + ": " + t.getMessage();
  }

  private static AgentModule instantiate(ClassLoader loader, String entrypoint) {
    Class<?> type;
    try {
      type = Class.forName(entrypoint, false, loader);
    } catch (ClassNotFoundException e) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " not found in the module's classpath");
    } catch (LinkageError e) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " cannot be loaded: " + describe(e));
    }
    if (!AgentModule.class.isAssignableFrom(type)) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " does not implement " + AgentModule.class.getName());
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new EntrypointException("entrypoint " + entrypoint + " is abstract");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw new EntrypointException("entrypoint " + entrypoint + " is not public");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " has no public no-argument constructor");
    } catch (LinkageError e) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " cannot be loaded: " + describe(e));
    }
    try {
      return (AgentModule) constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new ConstructorFailure(e.getCause());
    } catch (ExceptionInInitializerError e) {
      throw new ConstructorFailure(e.getCause() == null ? e : e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " cannot be instantiated: " + describe(e));
    } catch (LinkageError e) {
      throw new EntrypointException(
          "entrypoint " + entrypoint + " cannot be initialised: " + describe(e));
    }
  }

  /** Carries what the constructor threw, so it is judged like anything {@code run} throws. */
  private static final class ConstructorFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConstructorFailure(Throwable cause) {
      super(cause);
    }
  }
}
