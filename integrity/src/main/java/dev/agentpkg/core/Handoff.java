package dev.agentpkg.core;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on work shared with other threads without ever waiting on a thread that died: queue
 * operations wake up now and then to ask whether the other side is still alive, and an interrupt or
 * a task's failure becomes the typed exception the CLI maps to an exit code.
 */
public final class Handoff {
  private static final long WAIT_MS = 100;

  private Handoff() {}

  /**
   * The queue's next item; between waits {@code requireAlive} throws once the thread that fills the
   * queue has stopped.
   *
   * @param doing what the waiting thread is doing, for "interrupted while ..."
   */
  public static <T> T take(BlockingQueue<T> queue, Runnable requireAlive, String doing) {
    try {
      while (true) {
        T item = queue.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (item != null) {
          return item;
        }
        requireAlive.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while " + doing, e);
    }
  }

  /**
   * Adds {@code item}, waiting for room; between waits {@code requireAlive} as in {@link #take}.
   */
  public static <T> void put(BlockingQueue<T> queue, T item, Runnable requireAlive, String doing) {
    try {
      while (!queue.offer(item, WAIT_MS, TimeUnit.MILLISECONDS)) {
        requireAlive.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while " + doing, e);
    }
  }

  /**
   * Runs {@code first} on a new daemon thread while the caller runs {@code then}, and reports as if
   * they had run in that order: when both fail, {@code first}'s failure is the one thrown. Returns
   * once both have ended (an Error from {@code then} is not waited for).
   *
   * @param thread the helper thread's name
   * @param doing what {@code first} does, for "... failed: ..." when it fails untyped
   */
  public static void firstBeside(String thread, Runnable first, Runnable then, String doing) {
    Future<Void> task = beside(thread, Executors.callable(first, null));
    try {
      then.run();
    } catch (RuntimeException e) {
      result(task, doing);
      throw e;
    }
    result(task, doing);
  }

  /**
   * Starts {@code work} on a new daemon thread named {@code thread}; {@link #result} waits for it.
   * A daemon, so work left behind by a caller that failed does not keep the JVM alive.
   */
  public static <T> Future<T> beside(String thread, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread t = new Thread(task, thread);
    t.setDaemon(true);
    t.start();
    return task;
  }

  /**
   * A pool task's result: its RuntimeException as it was thrown (a typed refusal stays one), any
   * other failure as a StorageException "<doing> failed: ...".
   */
  public static <T> T result(Future<T> task, String doing) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while " + doing, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StorageException(doing + " failed: " + e.getCause(), e.getCause());
    }
  }
}
