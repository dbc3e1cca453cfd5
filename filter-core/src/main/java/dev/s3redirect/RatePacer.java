package dev.s3redirect;

import java.util.OptionalLong;

/**
 * Paces one body to a rate in bytes per second: a token bucket that starts full with the burst and
 * fills at the rate. Pure: the caller gives the time, so that the writers decide how to wait (a
 * blocking writer sleeps, a non-blocking one schedules its next write and frees its thread).
 *
 * <p>It grants bytes in quanta of a quarter of a second's worth (never less than {@link
 * #MIN_QUANTUM}), so that a slow limit is not met with a write per byte, and a body waits for its
 * rate in pauses of a quarter second at most: long enough to be worth giving its S3 connection to a
 * read that waits for one, short enough to be smooth at the scale a client sees. Not thread-safe:
 * one writer asks at a time.
 */
final class RatePacer {

  /** The fewest bytes granted at once while the body has more to send. */
  static final int MIN_QUANTUM = 512;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long bytesPerSecond;
  private final long capacity;
  private final long quantum;
  private double tokens;
  private long lastNanos;

  /**
   * Starts pacing a body.
   *
   * @param bytesPerSecond the rate, positive
   * @param burst the bytes that may go at once, before the rate applies
   * @param nowNanos the time, as {@link System#nanoTime()} tells it
   */
  RatePacer(long bytesPerSecond, long burst, long nowNanos) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.quantum = quantum(bytesPerSecond);
    // The bucket must hold one quantum, or a burst smaller than it would never be granted.
    this.capacity = Math.max(Math.max(0, burst), quantum);
    this.tokens = Math.max(0, burst);
    this.lastNanos = nowNanos;
  }

  /**
   * Returns the bytes granted at once at a rate.
   *
   * @param bytesPerSecond the rate
   * @return a quarter second's worth, at least {@link #MIN_QUANTUM}
   */
  static long quantum(long bytesPerSecond) {
    return Math.max(MIN_QUANTUM, bytesPerSecond / 4);
  }

  /**
   * Returns the rate the response is to be sent at: the application's value for this response when
   * it set a valid one, else the default.
   *
   * @param headerValue the rate-limit header's value, or {@code null} if the application set none
   * @param defaultRate the configured default, 0 for none
   * @return the rate in bytes per second, 0 for none; empty if the value is not valid
   */
  static OptionalLong rate(String headerValue, long defaultRate) {
    if (headerValue == null) {
      return OptionalLong.of(defaultRate);
    }
    String value = headerValue.strip();
    if (value.equalsIgnoreCase("off")) {
      return OptionalLong.of(0);
    }
    if (value.isEmpty()
        || value.length() > 18
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(value));
  }

  /**
   * Returns how many bytes may be written now: up to {@code wanted}, or 0 if the writer must wait
   * {@link #waitNanos} first. Granted bytes are spent.
   *
   * @param wanted the bytes the writer has room for, positive
   * @param nowNanos the time
   * @return the bytes to write now, 0 to wait
   */
  int take(int wanted, long nowNanos) {
    refill(nowNanos);
    if (tokens < Math.min(wanted, quantum)) {
      return 0;
    }
    int granted = (int) Math.min(wanted, (long) tokens);
    tokens -= granted;
    return granted;
  }

  /**
   * Gives back granted bytes the writer did not send (the body had fewer ready, or ended), so that
   * a short read does not slow the body below its rate.
   *
   * @param bytes the unsent part of the last grant, 0 or more
   */
  void giveBack(int bytes) {
    if (bytes > 0) {
      tokens = Math.min(capacity, tokens + bytes);
    }
  }

  /**
   * Returns how long to wait until {@link #take} grants bytes again.
   *
   * @param wanted the bytes the writer has room for, positive
   * @param nowNanos the time
   * @return nanoseconds, 0 if bytes may be taken now
   */
  long waitNanos(int wanted, long nowNanos) {
    refill(nowNanos);
    double missing = Math.min(wanted, quantum) - tokens;
    if (missing <= 0) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil(missing * NANOS_PER_SECOND / bytesPerSecond));
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + (double) elapsed * bytesPerSecond / NANOS_PER_SECOND);
      lastNanos = nowNanos;
    }
  }
}
