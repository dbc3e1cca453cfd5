package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Sends an answer's body with Servlet non-blocking I/O: a container thread works only while the
 * client accepts bytes, reading S3 just ahead of what it writes; when the client is not ready the
 * thread goes back to the container. A client that accepts nothing for the stall timeout releases
 * its S3 connection; the body resumes with a ranged {@code GetObject} pinned to the same version
 * when the client reads again. While other reads wait for a connection, a client that accepts
 * nothing for {@link #CONTENDED_STALL} frees its own at once.
 *
 * <p>Container rules it keeps: it writes only after {@code isReady()} said yes, and calls {@code
 * isReady()} only where a {@code false} may schedule the next {@code onWritePossible}; it never
 * touches the buffer of a write the container has not finished; it completes the asynchronous cycle
 * only once the last write has drained, since completing with a write pending truncates.
 *
 * <p>A rate-limited body that has sent what its pacer grants flushes, leaves the container's thread
 * and is woken by the timer when the pacer grants more: it resumes on a container thread ({@link
 * AsyncContext#start}), since reading S3 may block. A pause for the rate is not a stall: the client
 * took everything it was given.
 */
final class NonBlockingBodyWriter implements WriteListener {

  private static final Logger LOG = System.getLogger(S3RedirectFilter.class.getName());

  /**
   * How long a client may accept nothing while other reads wait for a connection to S3 before its
   * connection is freed for them: long enough for a client that drains its socket as fast as the
   * network allows, short enough that a crowd of stalled clients never holds the pool.
   */
  static final Duration CONTENDED_STALL = Duration.ofMillis(50);

  /** Ends the exchange: reports it, and tells how the asynchronous cycle must end. */
  @FunctionalInterface
  interface Ending {
    void end(ExchangeResult result);
  }

  private final AsyncContext async;
  private final ServletOutputStream out;
  private final AnswerWriter writer;
  private final AnswerWriter.ObjectStart start;
  private final int bufferSize;
  private final RatePacer pacer;
  private final Duration stallTimeout;
  private final BooleanSupplier contended;
  private final ScheduledExecutorService timer;
  private final Ending ending;
  private final String what;
  private byte[] buffer;
  private long written;
  private boolean drained;
  private boolean ended;
  private ScheduledFuture<?> stallCheck;
  private ScheduledFuture<?> pacedResume;
  private long stalledSince;

  NonBlockingBodyWriter(
      AsyncContext async,
      AnswerWriter writer,
      AnswerWriter.ObjectStart start,
      int bufferSize,
      RatePacer pacer,
      Duration stallTimeout,
      BooleanSupplier contended,
      ScheduledExecutorService timer,
      Ending ending,
      String what)
      throws IOException {
    this.async = async;
    this.out = writer.client().getOutputStream();
    this.writer = writer;
    this.start = start;
    this.bufferSize = bufferSize;
    this.pacer = pacer;
    this.stallTimeout = stallTimeout;
    this.contended = contended;
    this.timer = timer;
    this.ending = ending;
    this.what = what;
  }

  /**
   * Starts sending: the container calls {@link #onWritePossible} when the client can take bytes.
   * The stall clock runs from now: a body that gets no thread to write it holds its S3 connection
   * no longer than one whose client stopped reading.
   */
  void start() {
    synchronized (this) {
      stalledSince = System.nanoTime();
      checkStallIn(Math.min(stallTimeout.toNanos(), CONTENDED_STALL.toNanos()));
    }
    out.setWriteListener(this);
  }

  @Override
  public synchronized void onWritePossible() {
    if (ended) {
      return;
    }
    if (stallCheck != null) {
      stallCheck.cancel(false);
      stallCheck = null;
    }
    try {
      while (out.isReady()) {
        if (drained) {
          end(new ExchangeResult(Outcome.SERVED, start.status(), written, ""));
          return;
        }
        if (buffer == null) {
          buffer = start.buffer(bufferSize);
        }
        int max = buffer.length;
        if (pacer != null) {
          max = pacer.take(buffer.length, System.nanoTime());
          if (max == 0) {
            pauseForRate();
            return;
          }
        }
        int n = start.body().next(buffer, max);
        if (pacer != null) {
          pacer.giveBack(max - Math.max(n, 0));
        }
        if (n < 0) {
          drained = true;
        } else {
          out.write(buffer, 0, n);
          written += n;
        }
      }
      stalledSince = System.nanoTime();
      checkStallIn(Math.min(stallTimeout.toNanos(), CONTENDED_STALL.toNanos()));
    } catch (BodyFailure e) {
      try {
        end(writer.failed(e, start.status(), written));
      } catch (IOException | RuntimeException writing) {
        end(clientGone(writing));
      }
    } catch (IOException e) {
      start.body().abort();
      end(clientGone(e));
    }
  }

  @Override
  public synchronized void onError(Throwable failure) {
    if (!ended) {
      start.body().abort();
      end(clientGone(failure));
    }
  }

  /**
   * Waits for the pacer without a thread: what was written is flushed, and the timer hands the next
   * write back to a container thread. While other reads wait for a connection to S3, a pause long
   * enough to matter gives this body's connection to them (it resumes with a ranged GET): else
   * paced bodies would hold every connection while requests waiting for one hold every thread, and
   * the paced bodies could not get a thread to go on.
   */
  private void pauseForRate() throws IOException {
    out.flush();
    long wait = pacer.waitNanos(buffer.length, System.nanoTime());
    if (wait >= CONTENDED_STALL.toNanos()
        && contended.getAsBoolean()
        && start.body().releaseForStall()) {
      LOG.log(
          Level.DEBUG,
          "{0}: paced; released the S3 connection after {1} bytes for reads waiting for one",
          what,
          written);
    }
    pacedResume = timer.schedule(this::resumeAfterPause, wait, TimeUnit.NANOSECONDS);
    // A body whose pause is over but that gets no thread to go on is stalled from then on.
    stalledSince = System.nanoTime() + wait;
    checkStallIn(wait + Math.min(stallTimeout.toNanos(), CONTENDED_STALL.toNanos()));
  }

  private void resumeAfterPause() {
    synchronized (this) {
      pacedResume = null;
      if (ended) {
        return;
      }
    }
    try {
      async.start(this::onWritePossible);
    } catch (IllegalStateException e) {
      // The container completed the cycle after an error: onError ends the exchange.
      onError(e);
    }
  }

  private void checkStallIn(long nanos) {
    stallCheck = timer.schedule(this::stalled, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The client has accepted nothing for a while: free its S3 connection until it reads again, once
   * the stall timeout has passed, or sooner while other reads wait for a connection.
   */
  private synchronized void stalled() {
    if (ended || stallCheck == null) {
      return;
    }
    long stalled = System.nanoTime() - stalledSince;
    boolean release =
        stalled >= stallTimeout.toNanos()
            || (stalled >= CONTENDED_STALL.toNanos() && contended.getAsBoolean());
    if (!release) {
      checkStallIn(Math.min(stallTimeout.toNanos() - stalled, CONTENDED_STALL.toNanos()));
    } else if (start.body().releaseForStall()) {
      // The container may still hold the buffer of the write that is waiting: take a new one.
      buffer = null;
      LOG.log(
          Level.DEBUG,
          "{0}: the client accepted no bytes for {1} ms; released the S3 connection after {2}"
              + " bytes",
          what,
          TimeUnit.NANOSECONDS.toMillis(stalled),
          written);
    }
  }

  private ExchangeResult clientGone(Throwable failure) {
    return new ExchangeResult(
        Outcome.CLIENT_ABORTED,
        start.status(),
        written,
        "the client went away after " + written + " bytes: " + failure);
  }

  private void end(ExchangeResult result) {
    ended = true;
    if (stallCheck != null) {
      stallCheck.cancel(false);
    }
    if (pacedResume != null) {
      pacedResume.cancel(false);
    }
    start.body().abort();
    ending.end(result);
  }

  /** Returns the asynchronous cycle this writer runs in. */
  AsyncContext async() {
    return async;
  }
}
