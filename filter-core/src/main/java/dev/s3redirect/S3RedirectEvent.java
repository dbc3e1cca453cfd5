package dev.s3redirect;

import java.time.Duration;
import java.util.Objects;

/**
 * What the filter did with one redirected response.
 *
 * @param location the object named by the application, or {@code null} if its header was malformed
 * @param outcome how the exchange ended
 * @param status the status sent to the client
 * @param bytesSent body bytes written to the client
 * @param timeToFirstByte from the filter taking over to S3's answer, or {@link Duration#ZERO} when
 *     S3 was not asked
 */
public record S3RedirectEvent(
    S3Location location, Outcome outcome, int status, long bytesSent, Duration timeToFirstByte) {

  /**
   * Validates the parts.
   *
   * @param location the object named by the application, or {@code null} if its header was
   *     malformed
   * @param outcome how the exchange ended
   * @param status the status sent to the client
   * @param bytesSent body bytes written to the client
   * @param timeToFirstByte from the filter taking over to S3's answer, or {@link Duration#ZERO}
   *     when S3 was not asked
   * @throws NullPointerException if the outcome or the time to first byte is null
   */
  public S3RedirectEvent {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(timeToFirstByte, "timeToFirstByte");
  }

  /** How a redirected exchange ended. */
  public enum Outcome {
    /** The object, the requested ranges of it, or (for HEAD) its headers were sent completely. */
    SERVED,
    /** A condition of the request said the client's copy is current: 304. */
    NOT_MODIFIED,
    /** A precondition of the request was false: 412. */
    PRECONDITION_FAILED,
    /** No requested range overlaps the object: 416. */
    RANGE_NOT_SATISFIABLE,
    /** The client went away before the body was complete; the S3 stream was aborted. */
    CLIENT_ABORTED,
    /** S3 has no such object or bucket: 404. */
    NOT_FOUND,
    /** S3 refused access: 403, or 404 if so configured. */
    ACCESS_DENIED,
    /** The location is outside the allow-list: refused without asking S3. */
    REFUSED,
    /** The application's header value was malformed: 500. */
    INVALID_HEADER,
    /**
     * The application set the header after its own response was already committed: the connection
     * was cut short.
     */
    HEADER_TOO_LATE,
    /** S3 failed, throttled or timed out before the response started: 502, 503 or 504. */
    UPSTREAM_FAILED,
    /** S3 failed after the response started: the client's connection was cut short. */
    UPSTREAM_FAILED_AFTER_COMMIT,
    /**
     * The client was redirected to a signed URL, as the {@link RedirectPolicy} or the application
     * decided: 302 or 307, no bytes through the filter.
     */
    REDIRECTED
  }
}
