import dev.agentpkg.cli.Cli;
import dev.agentpkg.core.AppContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * Benchmark helper for scripts/bench.sh: fills an initialised root (key already trusted) with N
 * packages of F small files each, packing and installing them through the real CLI code in one JVM,
 * because N separate `agentpkg` processes would cost N JVM start-ups (~10+ minutes for 1,000).
 *
 * <pre>
 * java -cp cli/target/agentpkg.jar scripts/BuildOwnershipRoot.java ROOT TOKEN KEY.pem WORKDIR N F
 * </pre>
 *
 * Package i is PKG-T3-OWN%04d-001 with files modules/&lt;id&gt;/d%d/f%03d.txt (10 per directory).
 */
public final class BuildOwnershipRoot {
  public static void main(String[] args) throws IOException {
    if (args.length != 6) {
      // a failed main makes the java launcher exit 1; only agentpkg's Main calls System.exit
      throw new IllegalArgumentException(
          "usage: BuildOwnershipRoot ROOT TOKEN KEY.pem WORKDIR N FILES");
    }
    FileSystem fs = FileSystems.getDefault();
    Path root = fs.getPath(args[0]).toAbsolutePath();
    String token = args[1];
    Path key = fs.getPath(args[2]).toAbsolutePath();
    Path work = fs.getPath(args[3]).toAbsolutePath();
    int n = Integer.parseInt(args[4]);
    int files = Integer.parseInt(args[5]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    AppContext ctx =
        new AppContext(
            fs,
            fs.getPath(System.getProperty("user.dir")).toAbsolutePath(),
            Clock.systemUTC(),
            System.getenv(),
            out,
            err);
    Files.createDirectories(work);
    long start = System.nanoTime();
    for (int i = 1; i <= n; i++) {
      String id = String.format(Locale.ROOT, "PKG-T3-OWN%04d-001", i);
      Path src = work.resolve("src");
      deleteTree(src);
      Path mod = src.resolve("modules").resolve(id);
      for (int f = 0; f < files; f++) {
        Path file = mod.resolve("d" + (f / 10)).resolve(String.format(Locale.ROOT, "f%03d.txt", f));
        Files.createDirectories(file.getParent());
        Files.writeString(file, id + " file " + f + "\n", StandardCharsets.UTF_8);
      }
      Files.writeString(
          src.resolve("package.json"),
          String.format(
              Locale.ROOT,
              "{\"id\":\"%s\",\"name\":\"ownership bench %d\",\"version\":\"1.0.0\",\"tier\":\"T3\","
                  + "\"spec_id\":\"SPEC-BENCH-001\",\"description\":\"ownership scale filler\"}\n",
              id,
              i),
          StandardCharsets.UTF_8);
      Path archive = work.resolve(id + "-1.0.0.tar.gz");
      run(ctx, "pack", "--src", src.toString(), "--key", key.toString(), "--out",
          archive.toString(), "-q");
      run(ctx, "install", "--archive", archive.toString(), "--root", root.toString(),
          "--token", token, "-q");
      for (String suffix : new String[] {"", ".sig", ".sha256"}) {
        Files.deleteIfExists(archive.resolveSibling(archive.getFileName() + suffix));
      }
      if (i % 100 == 0) {
        err.printf(Locale.ROOT, "  %d/%d packages installed (%.1f s)%n", i, n,
            (System.nanoTime() - start) / 1e9);
      }
    }
    deleteTree(work.resolve("src"));
  }

  private static void run(AppContext ctx, String... args) {
    int rc = new Cli(ctx).execute(args);
    if (rc != 0) {
      throw new IllegalStateException("agentpkg " + String.join(" ", args) + " exited " + rc);
    }
  }

  private static void deleteTree(Path top) throws IOException {
    if (!Files.exists(top)) {
      return;
    }
    try (var s = Files.walk(top)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
