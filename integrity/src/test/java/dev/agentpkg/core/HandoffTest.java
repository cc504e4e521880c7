package dev.agentpkg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

class HandoffTest {
  @Test
  void takeAndPutPassItemsThrough() {
    ArrayBlockingQueue<String> q = new ArrayBlockingQueue<>(1);
    Handoff.put(q, "x", () -> {}, "testing");
    assertThat(Handoff.take(q, () -> {}, "testing")).isEqualTo("x");
  }

  @Test
  void aWaitOnADeadPeerEndsWithItsFailure() {
    ArrayBlockingQueue<String> empty = new ArrayBlockingQueue<>(1);
    Runnable dead =
        () -> {
          throw new StorageException("the peer stopped");
        };
    assertThatThrownBy(() -> Handoff.take(empty, dead, "testing")).hasMessage("the peer stopped");
    ArrayBlockingQueue<String> full = new ArrayBlockingQueue<>(1);
    full.add("busy");
    assertThatThrownBy(() -> Handoff.put(full, "more", dead, "testing"))
        .hasMessage("the peer stopped");
  }

  @Test
  void anInterruptedWaitIsAStorageErrorAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Handoff.take(new ArrayBlockingQueue<>(1), () -> {}, "testing"))
          .isInstanceOf(StorageException.class)
          .hasMessage("interrupted while testing");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aTaskKeepsItsTypedFailureAndWrapsAnyOther() {
    VerificationException refusal = new VerificationException("bad entry");
    assertThatThrownBy(() -> Handoff.result(CompletableFuture.failedFuture(refusal), "hashing"))
        .isSameAs(refusal);
    FutureTask<String> io =
        new FutureTask<>(
            () -> {
              throw new IOException("disk gone");
            });
    io.run();
    assertThatThrownBy(() -> Handoff.result(io, "hashing"))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith("hashing failed: java.io.IOException: disk gone");
    assertThat(Handoff.result(CompletableFuture.completedFuture("ok"), "hashing")).isEqualTo("ok");
  }

  @Test
  void besideRunsOnANamedDaemonThread() {
    java.util.concurrent.Future<String> f =
        Handoff.beside(
            "agentpkg-test",
            () -> Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon());
    assertThat(Handoff.result(f, "testing")).isEqualTo("agentpkg-test true");
    RuntimeException fails = new ConflictException("refused");
    assertThatThrownBy(
            () ->
                Handoff.result(
                    Handoff.beside(
                        "t",
                        () -> {
                          throw fails;
                        }),
                    "testing"))
        .isSameAs(fails);
  }

  @Test
  void firstBesideRunsBothAndReportsAsIfInOrder() {
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    Handoff.firstBeside("t", ran::incrementAndGet, ran::incrementAndGet, "first");
    assertThat(ran).hasValue(2);

    RuntimeException firstFails = new ConflictException("first");
    RuntimeException thenFails = new NotFoundException("then");
    assertThatThrownBy(
            () ->
                Handoff.firstBeside(
                    "t",
                    () -> {
                      throw firstFails;
                    },
                    () -> {
                      throw thenFails;
                    },
                    "first"))
        .isSameAs(firstFails);
    assertThatThrownBy(
            () ->
                Handoff.firstBeside(
                    "t",
                    () -> {},
                    () -> {
                      throw thenFails;
                    },
                    "first"))
        .isSameAs(thenFails);
    assertThatThrownBy(
            () ->
                Handoff.firstBeside(
                    "t",
                    () -> {
                      throw firstFails;
                    },
                    ran::incrementAndGet,
                    "first"))
        .isSameAs(firstFails);
    assertThat(ran).hasValue(3);
  }
}
