package dev.s3redirect;

/**
 * The bytes of an answer could not be read on: S3's body failed or ended early, or a later part or
 * a resumed range was not of the version the answer started with. The message is for the log.
 */
final class BodyFailure extends Exception {
  private static final long serialVersionUID = 1L;

  BodyFailure(String why, Throwable cause) {
    super(why, cause);
  }
}
