package dev.agentpkg.registry;

import java.io.IOException;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Child process for RootLockTest: takes the lock, says so, and holds it until killed. */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws IOException {
    RootLock lock =
        RootLock.acquire(
            new Root(Paths.get(args[0])),
            "install PKG-T1-CHILD-001",
            Optional.of("c0ffee000000"),
            Duration.ofSeconds(5),
            Clock.systemUTC());
    System.out.println("LOCKED");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lock until stdin closes or the process is killed
    }
    lock.close();
  }
}
