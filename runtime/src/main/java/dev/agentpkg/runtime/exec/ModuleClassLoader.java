package dev.agentpkg.runtime.exec;

import dev.agentpkg.api.AgentModule;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Loads a module's jars. Its parent sees the JDK (platform loader) and {@code dev.agentpkg.api}
 * only, so nothing else of the host — the runtime, picocli, Jackson — is reachable by name.
 */
final class ModuleClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private ModuleClassLoader(String name, URL[] urls) {
    super(name, urls, new ApiOnlyLoader());
  }

  /**
   * @throws EntrypointException when an entry is missing or a jar names further jars in a {@code
   *     Class-Path} manifest attribute, which {@link URLClassLoader} would follow to anywhere on
   *     the disk, host jars included
   */
  static ModuleClassLoader create(String packageId, List<Path> classpath) {
    URL[] urls = new URL[classpath.size()];
    for (int i = 0; i < urls.length; i++) {
      Path entry = classpath.get(i).toAbsolutePath().normalize();
      if (!Files.isDirectory(entry)) {
        refuseClassPathAttribute(entry);
      }
      try {
        urls[i] = entry.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new EntrypointException("classpath entry " + entry + " is not a valid URL");
      }
    }
    return new ModuleClassLoader("agentpkg:" + packageId, urls);
  }

  /**
   * Closes the jars. A failure to close cannot change how the module ended, and the caller has
   * nothing better to do with it than report the run, so it is dropped.
   */
  void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      // see above
    }
  }

  private static void refuseClassPathAttribute(Path jar) {
    try (JarFile file = new JarFile(jar.toString(), false)) {
      Manifest manifest = file.getManifest();
      if (manifest != null && manifest.getMainAttributes().getValue("Class-Path") != null) {
        throw new EntrypointException(
            "jar " + jar.getFileName() + " declares a Class-Path; modules may not extend it");
      }
    } catch (IOException e) {
      throw new EntrypointException("cannot open jar " + jar + ": " + e.getMessage());
    }
  }

  /** Delegates {@code dev.agentpkg.api.*} to the host's module API and the rest to the JDK. */
  private static final class ApiOnlyLoader extends ClassLoader {
    private static final String API_PREFIX = AgentModule.class.getPackageName() + ".";

    static {
      registerAsParallelCapable();
    }

    private final ClassLoader api = AgentModule.class.getClassLoader();

    ApiOnlyLoader() {
      super("agentpkg-api", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith(API_PREFIX) && name.indexOf('.', API_PREFIX.length()) < 0) {
        return api.loadClass(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}
