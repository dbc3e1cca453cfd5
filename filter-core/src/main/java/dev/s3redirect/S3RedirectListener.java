package dev.s3redirect;

/**
 * Receives one {@link S3RedirectEvent} for every response the filter produced from a redirect
 * header; bind it to metrics or logs.
 *
 * <p>Called on the request thread after the response is written or abandoned; implementations must
 * be fast and must not throw.
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
}
