package dev.s3redirect.store;

import java.util.Objects;

/**
 * An object could not be read. The message is for logs: it may contain S3 error codes and request
 * ids, so it must never reach a client.
 */
public final class ObjectStoreException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why an object could not be read. */
  public enum Failure {
    /** No such object or bucket. */
    NOT_FOUND,
    /** S3 denied access. */
    ACCESS_DENIED,
    /** S3 asked the client to slow down. */
    THROTTLED,
    /** S3 did not answer in time. */
    TIMEOUT,
    /** S3 could not be reached, or failed. */
    UNAVAILABLE
  }

  /** Why. */
  private final Failure failure;

  /**
   * Creates an exception.
   *
   * @param failure why the object could not be read
   * @param message details for the log
   * @param cause the underlying exception, or {@code null}
   */
  public ObjectStoreException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /**
   * Returns why the object could not be read.
   *
   * @return the failure
   */
  public Failure failure() {
    return failure;
  }
}
