package dev.s3redirect;

/**
 * Receives one {@link S3RedirectEvent} for every response the filter produced from a redirect
 * header; bind it to metrics or logs.
 *
 * <p>Called on the request thread after the response is written or abandoned; implementations must
 * be fast and must not throw. A listener that throws anyway is logged and ignored: it never breaks
 * a download.
 */
@FunctionalInterface
public interface S3RedirectListener {

  /** A listener that ignores every event. */
  S3RedirectListener NONE = event -> {};

  /**
   * Reports what happened to one redirected response.
   *
   * @param event what happened
   */
  void onEvent(S3RedirectEvent event);

  /**
   * Called when the filter starts sending an object's bytes; each call is followed by exactly one
   * {@link #onEvent(S3RedirectEvent)} for the same response, on the same thread.
   *
   * <p>Answers without an object body (HEAD, 304, errors) have no start, only their event. Does
   * nothing by default.
   *
   * @param location the object being sent
   */
  default void onStreamStarted(S3Location location) {}
}
