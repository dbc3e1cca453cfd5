package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one exchange tells the outside: its own listener ({@link S3RedirectListener#forExchange}),
 * told of the start of the object's bytes and of the end exactly once, and one log line. Listener
 * failures are contained by {@link CompositeListener}.
 *
 * <p>Log levels follow who must act: what clients cause (served, not modified, failed conditions,
 * missing objects, aborts) at DEBUG; S3 failing or refusing at WARN (access denied at most once a
 * minute, with a hint, since it usually means the filter's credentials are wrong); an application
 * error at ERROR.
 */
final class ExchangeReport {

  private static final Logger LOG = System.getLogger(S3RedirectFilter.class.getName());

  private final String request;
  private final S3Location location;
  private final S3RedirectListener listener;
  private final Throttle accessDenied;
  private boolean ended;

  private ExchangeReport(
      String request, S3Location location, S3RedirectListener listener, Throttle accessDenied) {
    this.request = request;
    this.location = location;
    this.listener = listener;
    this.accessDenied = accessDenied;
  }

  /**
   * Starts the report of one exchange.
   *
   * @param method the request's method
   * @param uri the request's URI, without the query
   * @param location the object, or {@code null} if the application's header was malformed
   * @param listeners the filter's listener, asked for this exchange's own
   * @param accessDenied when the last access-denied warning was logged
   */
  static ExchangeReport start(
      String method,
      String uri,
      S3Location location,
      S3RedirectListener listeners,
      Throttle accessDenied) {
    // Contained: a listener that throws is logged and never breaks the exchange.
    S3RedirectListener listener = new CompositeListener(List.of(listeners)).forExchange(location);
    return new ExchangeReport(method + " " + uri, location, listener, accessDenied);
  }

  /** Returns the request and the object, as the log names them. */
  String describe() {
    return request + ": " + (location == null ? "(no object)" : location);
  }

  /**
   * Logs that the application set a rate limit that is not one: its bug, so at WARN, for every
   * response it affects.
   */
  void invalidRateLimit(String headerName, String value, long applied) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    LOG.log(
        Level.WARNING,
        "{0}: {1}: ignoring {2}: \"{3}\" is not a number of bytes per second, 0 or off; {4}",
        request,
        location,
        headerName,
        shown.replaceAll("\\p{Cntrl}", "?"),
        applied == 0 ? "not rate-limited" : "rate-limited to the default " + applied + " B/s");
  }

  /**
   * Logs a companion header the application set that the filter cannot follow: its bug or the
   * filter's configuration, so at WARN.
   */
  void misconfigured(String what) {
    LOG.log(Level.WARNING, "{0}: {1}: {2}", request, location, what.replaceAll("\\p{Cntrl}", "?"));
  }

  /** Tells the listener that the object's bytes start. */
  void bodyStarted() {
    listener.onStreamStarted(location);
  }

  /** Reports how the exchange ended: once, whatever calls it later. */
  void end(ExchangeResult result, Duration timeToFirstByte) {
    if (ended) {
      return;
    }
    ended = true;
    log(result);
    listener.onEvent(
        new S3RedirectEvent(
            location, result.outcome(), result.status(), result.bytesSent(), timeToFirstByte));
  }

  private void log(ExchangeResult result) {
    Level level = level(result.outcome());
    String hint = "";
    if (result.outcome() == Outcome.ACCESS_DENIED) {
      if (accessDenied.tryAcquire()) {
        hint =
            " (S3 refused the filter's request: check its credentials, the bucket policy and the"
                + " region; this warning repeats at most once a minute)";
      } else {
        level = Level.DEBUG;
      }
    }
    if (!LOG.isLoggable(level)) {
      return;
    }
    LOG.log(
        level,
        "{0}: {1}: {2}{3}{4}",
        request,
        location == null ? "(no object)" : location,
        what(result),
        result.detail().isEmpty() ? "" : ": " + result.detail(),
        hint);
  }

  /** What the client got, in a few words. */
  private static String what(ExchangeResult result) {
    if (result.cutShort()) {
      return "cut the "
          + result.status()
          + " response short after "
          + result.bytesSent()
          + " bytes";
    }
    if (result.outcome() == Outcome.CLIENT_ABORTED) {
      return "client went away from the " + result.status() + " response";
    }
    if (result.outcome() == Outcome.REDIRECTED) {
      return result.status() + " to a signed URL";
    }
    return result.status() + (result.bytesSent() > 0 ? ", " + result.bytesSent() + " bytes" : "");
  }

  private static Level level(Outcome outcome) {
    return switch (outcome) {
      case SERVED,
          NOT_MODIFIED,
          PRECONDITION_FAILED,
          RANGE_NOT_SATISFIABLE,
          CLIENT_ABORTED,
          NOT_FOUND,
          REDIRECTED ->
          Level.DEBUG;
      case ACCESS_DENIED, REFUSED, UPSTREAM_FAILED, UPSTREAM_FAILED_AFTER_COMMIT -> Level.WARNING;
      case INVALID_HEADER, HEADER_TOO_LATE -> Level.ERROR;
    };
  }

  /** Lets one thing happen at most once per interval, across threads. */
  static final class Throttle {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    Throttle(Duration interval) {
      this.intervalNanos = interval.toNanos();
    }

    boolean tryAcquire() {
      long now = System.nanoTime();
      long due = next.get();
      return (due == Long.MIN_VALUE || now - due >= 0)
          && next.compareAndSet(due, now + intervalNanos);
    }
  }
}
