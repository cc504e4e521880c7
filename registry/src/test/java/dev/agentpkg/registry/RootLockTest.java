package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.ConflictException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootLockTest {
  private static final Clock CLOCK = Clock.fixed(TestRoots.T0, ZoneOffset.UTC);
  private static final long MY_PID = ProcessHandle.current().pid();

  @TempDir Path tmp;
  private Root root;

  @BeforeEach
  void setUp() throws Exception {
    root = new Root(tmp.resolve("root"));
    Files.createDirectories(root.privateDir());
  }

  private RootLock acquire(String command, Duration timeout) {
    return RootLock.acquire(root, command, Optional.of("abcdef012345"), timeout, CLOCK);
  }

  @Test
  void secondAcquireInAnotherThreadTimesOutNamingTheHolder() throws Exception {
    try (RootLock held = acquire("install PKG-T1-X-001", Duration.ofSeconds(1))) {
      assertThat(held.takenOverFrom()).isEmpty();
      assertThat(Files.readString(root.lockFile()))
          .contains("pid=" + MY_PID)
          .contains("command=install PKG-T1-X-001")
          .contains("token_id=abcdef012345")
          .contains("since=2025-03-01T12:00:00Z");
      long start = System.nanoTime();
      CompletableFuture<RootLock> other =
          CompletableFuture.supplyAsync(() -> acquire("uninstall", Duration.ofMillis(300)));
      assertThatThrownBy(other::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(ConflictException.class)
          .hasMessage(
              "root is locked by pid "
                  + MY_PID
                  + " (agentpkg install PKG-T1-X-001, token abcdef012345) since"
                  + " 2025-03-01T12:00:00Z; waited 300ms");
      assertThat(System.nanoTime() - start)
          .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
      // the failed waiter must not have released the holder's OS lock
      assertThat(Files.readString(root.lockFile())).contains("pid=" + MY_PID);
    }
    assertThat(Files.readString(root.lockFile())).isEmpty();
    try (RootLock again = acquire("list", Duration.ZERO)) {
      assertThat(again.takenOverFrom()).isEmpty();
    }
  }

  @Test
  void sameThreadCannotTakeItTwice() {
    try (RootLock held = acquire("install", Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> acquire("install", Duration.ofMillis(100)))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("waited 100ms");
    }
  }

  @Test
  void waiterGetsTheLockOnceReleased() throws Exception {
    RootLock held = acquire("install", Duration.ofSeconds(1));
    CompletableFuture<RootLock> waiter =
        CompletableFuture.supplyAsync(() -> acquire("uninstall", Duration.ofSeconds(5)));
    Thread.sleep(200);
    assertThat(waiter).isNotDone();
    held.close();
    held.close(); // idempotent
    try (RootLock got = waiter.get(5, TimeUnit.SECONDS)) {
      assertThat(Files.readString(root.lockFile())).contains("command=uninstall");
    }
  }

  @Test
  void lockFileOfADeadProcessIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long deadPid = gone.pid();
    Files.writeString(
        root.lockFile(),
        RootLock.holderText(deadPid, "install PKG-T1-OLD-001", "", "2025-01-01T00:00:00Z"));
    try (RootLock lock = acquire("doctor", Duration.ZERO)) {
      assertThat(lock.takenOverFrom())
          .hasValue(
              "pid "
                  + deadPid
                  + " (agentpkg install PKG-T1-OLD-001) since 2025-01-01T00:00:00Z, which is no"
                  + " longer running");
      assertThat(Files.readString(root.lockFile())).contains("pid=" + MY_PID);
    }
  }

  @Test
  void createsThePrivateDirectoryIfMissing() throws Exception {
    Root fresh = new Root(tmp.resolve("fresh"));
    Files.createDirectories(fresh.dir());
    try (RootLock lock = RootLock.acquire(fresh, "init", Optional.empty(), Duration.ZERO, CLOCK)) {
      assertThat(fresh.lockFile()).isRegularFile();
      assertThat(Files.readString(fresh.lockFile())).contains("token_id=\n");
    }
  }

  @Test
  void anotherProcessHoldingTheLockIsNamedAndItsDeathFreesTheLock() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolderMain.class.getName(),
                root.dir().toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(out));
      assertThat(line.get(30, TimeUnit.SECONDS)).isEqualTo("LOCKED");

      assertThatThrownBy(() -> acquire("install", Duration.ofMillis(300)))
          .isInstanceOf(ConflictException.class)
          .hasMessageStartingWith(
              "root is locked by pid "
                  + child.pid()
                  + " (agentpkg install PKG-T1-CHILD-001, token c0ffee000000) since ")
          .hasMessageEndingWith("; waited 300ms");

      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (RootLock lock = acquire("doctor", Duration.ofSeconds(2))) {
        assertThat(lock.takenOverFrom().orElseThrow())
            .startsWith("pid " + child.pid() + " (agentpkg install PKG-T1-CHILD-001")
            .endsWith("which is no longer running");
      }
    } finally {
      child.destroyForcibly();
    }
  }

  private static String readLine(BufferedReader r) {
    try {
      return r.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
