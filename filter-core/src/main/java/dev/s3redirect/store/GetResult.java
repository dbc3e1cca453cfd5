package dev.s3redirect.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What S3 answered a {@code GetObject}: the object, or the answer to one of the conditions or the
 * range the request carried. Failures are {@link ObjectStoreException}s instead.
 */
public sealed interface GetResult {

  /**
   * S3 sent the object, or the requested part of it.
   *
   * @param content the open body; the receiver must close or abort it
   */
  record Found(ObjectContent content) implements GetResult {
    /**
     * Validates the content.
     *
     * @param content the open body
     */
    public Found {
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * S3 answered 304: an {@code If-None-Match} or {@code If-Modified-Since} condition was false.
   * Each field is what S3's answer carried, {@code null} where it carried nothing: S3-compatible
   * servers differ in which of them a 304 has.
   *
   * @param eTag the entity tag as S3 sent it
   * @param lastModified the modification time
   * @param cacheControl the stored {@code Cache-Control}
   * @param expires the stored {@code Expires}
   */
  record NotModified(String eTag, Instant lastModified, String cacheControl, String expires)
      implements GetResult {}

  /** S3 answered 412: an {@code If-Match} or {@code If-Unmodified-Since} condition was false. */
  record PreconditionFailed() implements GetResult {}

  /** S3 answered 416: the range lies beyond the object. */
  record RangeNotSatisfiable() implements GetResult {}
}
