import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark helper for scripts/bench.sh: the least a JVM can do for `integrity check`. It hashes
 * the same files (and the store archive) with the JDK's SHA-256 on all cores, each file read once
 * through a reused buffer, and checks nothing: no registry, no ledger, no orphan walk, no modes.
 * Its time, next to `openssl dgst`'s, shows what JVM start-up, interpretation and JIT warm-up cost
 * before any of agentpkg's own checks.
 *
 * <pre>
 * java -cp DIR HashFloor ROOT NUL_SEPARATED_LIST [EXTRA_FILE ...]
 * </pre>
 *
 * Paths are relative to ROOT; extra files (the store archive) are hashed first, as agentpkg does.
 * Prints the number of files and a digest over all digests, so the work cannot be skipped.
 */
public final class HashFloor {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: HashFloor ROOT LIST0 [EXTRA_FILE ...]");
    }
    Path root = Path.of(args[0]);
    List<String> paths = new ArrayList<>(List.of(args).subList(2, args.length));
    byte[] list = Files.readAllBytes(Path.of(args[1]));
    for (int i = 0, start = 0; i < list.length; i++) {
      if (list[i] == 0) {
        paths.add(new String(list, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    byte[][] digests = new byte[paths.size()][];
    AtomicInteger next = new AtomicInteger();
    Thread[] workers = new Thread[Runtime.getRuntime().availableProcessors()];
    for (int t = 0; t < workers.length; t++) {
      workers[t] =
          new Thread(
              () -> {
                MessageDigest md = sha256();
                byte[] buf = new byte[256 * 1024];
                ByteBuffer view = ByteBuffer.wrap(buf);
                for (int k; (k = next.getAndIncrement()) < paths.size(); ) {
                  try (FileChannel ch = FileChannel.open(root.resolve(paths.get(k)))) {
                    for (int n; (n = ch.read(view.clear())) >= 0; ) {
                      md.update(buf, 0, n);
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  digests[k] = md.digest();
                }
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    MessageDigest all = sha256();
    for (byte[] d : digests) {
      all.update(d);
    }
    System.out.println(paths.size() + " " + HexFormat.of().formatHex(all.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
