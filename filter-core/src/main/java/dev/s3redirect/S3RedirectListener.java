package dev.s3redirect;

/**
 * Receives one {@link S3RedirectEvent} for every response the filter produced from a redirect
 * header; bind it to metrics or logs.
 *
 * <p>For each such response the filter first asks {@link #forExchange} for that exchange's own
 * listener (by default this one), then calls it: {@link #onStreamStarted} when an object's bytes
 * start, and {@link #onEvent} once when the exchange ends. State that belongs to one exchange (a
 * download in progress, a timer) can live in the listener {@link #forExchange} returns, with no
 * {@code ThreadLocal}: the calls of one exchange may come from different threads, one at a time.
 *
 * <p>Implementations must be fast and must not throw. A listener that throws anyway is logged and
 * ignored: it never breaks a download.
 */
@FunctionalInterface
public interface S3RedirectListener {

  /** A listener that ignores every event. */
  S3RedirectListener NONE = event -> {};

  /**
   * Reports what happened to one redirected response: called exactly once per exchange.
   *
   * @param event what happened
   */
  void onEvent(S3RedirectEvent event);

  /**
   * Called when the filter starts sending an object's bytes; each call is followed by exactly one
   * {@link #onEvent(S3RedirectEvent)} for the same exchange.
   *
   * <p>Answers without an object body (HEAD, 304, errors) have no start, only their event. Does
   * nothing by default.
   *
   * @param location the object being sent
   */
  default void onStreamStarted(S3Location location) {}

  /**
   * Returns the listener for one exchange, called once when the filter takes over a response from
   * the application, before any other call for it. Returns this listener by default; return a new
   * object to keep per-exchange state.
   *
   * @param location the object the application named, or {@code null} if its header was malformed
   * @return the listener told of this exchange
   */
  default S3RedirectListener forExchange(S3Location location) {
    return this;
  }

  /**
   * Returns a listener that tells each of {@code listeners}, in order; one that throws is logged
   * and the others still hear.
   *
   * @param listeners the listeners
   * @return one listener for all of them
   */
  static S3RedirectListener all(java.util.List<? extends S3RedirectListener> listeners) {
    return switch (listeners.size()) {
      case 0 -> NONE;
      case 1 -> listeners.get(0);
      default -> new CompositeListener(listeners);
    };
  }
}
