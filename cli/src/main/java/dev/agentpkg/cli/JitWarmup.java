package dev.agentpkg.cli;

import dev.agentpkg.integrity.digest.Sha256;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Gets SHA-256's compiled path requested from C2 at start-up, on a second thread, for the commands
 * that hash. The SHA intrinsics exist only in C2 code, and C2 compiles a method only after it has
 * run a while; left to the real work, the first files of a check (or an install) were hashed by the
 * interpreter's SHA rounds, ~50x slower, until the compiles landed 110-165 ms into the run (with
 * this, ~75 ms). Hashing 512 KiB here costs a few ms and overlaps the command-line parsing.
 */
final class JitWarmup {
  /** The commands the launcher runs with its "heavy" profile. */
  private static final Set<String> COMMANDS =
      Set.of("pack", "install", "uninstall", "verify", "sign", "integrity");

  private JitWarmup() {}

  static void start(String... args) {
    if (!wanted(args)) {
      return;
    }
    Thread t = new Thread(JitWarmup::run, "agentpkg-jit-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  static boolean wanted(String... args) {
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      // an option's value that happens to be a command name only costs a wasted warm-up
      if (COMMANDS.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static void run() {
    MessageDigest md = Sha256.newDigest();
    byte[] block = new byte[4096];
    for (int i = 0; i < 128; i++) {
      md.update(block, 0, block.length - (i & 7));
      md.digest();
    }
  }
}
