package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import java.time.Instant;
import java.util.Objects;

/**
 * One read of one object, with what S3 is asked to evaluate on the way: a single byte range and
 * conditions in canonical form. Every optional part is {@code null} when absent.
 *
 * <p>There is no {@code If-Unmodified-Since}: S3-compatible servers that keep sub-second
 * modification times answer a date equal to {@code Last-Modified} with 412, so the filter evaluates
 * that condition itself.
 *
 * @param location the object
 * @param range a {@code Range} value with one range, for example {@code bytes=0-499}
 * @param ifMatch an {@code If-Match} value: one entity-tag or {@code *}
 * @param ifNoneMatch an {@code If-None-Match} value: one entity-tag or {@code *}
 * @param ifModifiedSince an {@code If-Modified-Since} date
 */
public record ObjectRequest(
    S3Location location,
    String range,
    String ifMatch,
    String ifNoneMatch,
    Instant ifModifiedSince) {

  /**
   * Validates the parts.
   *
   * @param location the object
   * @param range a {@code Range} value with one range, for example {@code bytes=0-499}
   * @param ifMatch an {@code If-Match} value: one entity-tag or {@code *}
   * @param ifNoneMatch an {@code If-None-Match} value: one entity-tag or {@code *}
   * @param ifModifiedSince an {@code If-Modified-Since} date
   * @throws NullPointerException if the location is null
   */
  public ObjectRequest {
    Objects.requireNonNull(location, "location");
  }

  /**
   * Returns an unconditional read of the whole object.
   *
   * @param location the object
   * @return the request
   */
  public static ObjectRequest of(S3Location location) {
    return new ObjectRequest(location, null, null, null, null);
  }

  /**
   * Returns this request reading only the given range.
   *
   * @param rangeValue a {@code Range} value with one range, or {@code null} for the whole object
   * @return the new request
   */
  public ObjectRequest withRange(String rangeValue) {
    return new ObjectRequest(location, rangeValue, ifMatch, ifNoneMatch, ifModifiedSince);
  }

  /**
   * Returns this request with an {@code If-Match} condition.
   *
   * @param entityTag one entity-tag or {@code *}, or {@code null} for none
   * @return the new request
   */
  public ObjectRequest withIfMatch(String entityTag) {
    return new ObjectRequest(location, range, entityTag, ifNoneMatch, ifModifiedSince);
  }

  /**
   * Returns this request with an {@code If-None-Match} condition.
   *
   * @param entityTag one entity-tag or {@code *}, or {@code null} for none
   * @return the new request
   */
  public ObjectRequest withIfNoneMatch(String entityTag) {
    return new ObjectRequest(location, range, ifMatch, entityTag, ifModifiedSince);
  }

  /**
   * Returns this request with an {@code If-Modified-Since} condition.
   *
   * @param date the date, or {@code null} for none
   * @return the new request
   */
  public ObjectRequest withIfModifiedSince(Instant date) {
    return new ObjectRequest(location, range, ifMatch, ifNoneMatch, date);
  }
}
