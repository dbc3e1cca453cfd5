package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Sends an answer's body with blocking writes through one fixed buffer: the calling thread, and the
 * S3 connection being read, wait while the client reads. For containers or filter chains without
 * asynchronous support, and when configured. A rate-limited body sleeps between writes, having
 * flushed what it wrote, so that the client sees the rate and not the container's buffer filling.
 */
final class BlockingBodyWriter {

  private BlockingBodyWriter() {}

  /**
   * Sends the body and returns how the exchange ended.
   *
   * @param writer the exchange's answer writer, for failures
   * @param start the status and the body
   * @param bufferSize the configured buffer size
   * @param pacer paces the body to its rate limit, or {@code null} for none
   * @param contended whether other reads wait for a connection to S3: a paced body then gives its
   *     own back while it waits, and resumes with a ranged GET
   */
  static ExchangeResult write(
      AnswerWriter writer,
      AnswerWriter.ObjectStart start,
      int bufferSize,
      RatePacer pacer,
      BooleanSupplier contended)
      throws IOException {
    BodyCursor body = start.body();
    byte[] buffer = start.buffer(bufferSize);
    long written = 0;
    try {
      OutputStream out = writer.client().getOutputStream();
      while (true) {
        int max = buffer.length;
        if (pacer != null) {
          max = pace(pacer, buffer.length, out, body, contended);
        }
        int n = body.next(buffer, max);
        if (pacer != null) {
          pacer.giveBack(max - Math.max(n, 0));
        }
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        written += n;
      }
      out.flush();
    } catch (BodyFailure e) {
      return writer.failed(e, start.status(), written);
    } catch (IOException e) {
      // Never close(): on a partly read body it would download the rest.
      body.abort();
      return new ExchangeResult(
          Outcome.CLIENT_ABORTED,
          start.status(),
          written,
          "the client went away after " + written + " bytes");
    }
    return new ExchangeResult(Outcome.SERVED, start.status(), written, "");
  }

  /** Waits until the pacer grants bytes and returns how many; flushes before it waits. */
  private static int pace(
      RatePacer pacer, int wanted, OutputStream out, BodyCursor body, BooleanSupplier contended)
      throws IOException {
    int granted = pacer.take(wanted, System.nanoTime());
    if (granted > 0) {
      return granted;
    }
    out.flush();
    if (pacer.waitNanos(wanted, System.nanoTime())
            >= NonBlockingBodyWriter.CONTENDED_STALL.toNanos()
        && contended.getAsBoolean()) {
      body.releaseForStall();
    }
    while (true) {
      long wait = pacer.waitNanos(wanted, System.nanoTime());
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while pacing the body");
      }
      granted = pacer.take(wanted, System.nanoTime());
      if (granted > 0) {
        return granted;
      }
    }
  }
}
