package dev.s3redirect;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One daemon thread per filter that checks non-blocking bodies for clients that stopped reading.
 * Started on first use, so that a filter that never writes non-blocking starts no thread.
 */
final class StallTimer implements AutoCloseable {

  private ScheduledExecutorService executor;
  private boolean closed;

  /** Returns the timer, started on first use. */
  synchronized ScheduledExecutorService get() {
    if (executor == null) {
      if (closed) {
        throw new IllegalStateException("the filter was destroyed");
      }
      var pool =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = Executors.defaultThreadFactory().newThread(runnable);
                thread.setName("s3-redirect-stall-timer");
                thread.setDaemon(true);
                return thread;
              });
      // A cancelled check is dropped at once: thousands of downloads arm and cancel them.
      pool.setRemoveOnCancelPolicy(true);
      executor = pool;
    }
    return executor;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
