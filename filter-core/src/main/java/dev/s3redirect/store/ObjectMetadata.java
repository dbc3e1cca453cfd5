package dev.s3redirect.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What S3 says about an object, reduced to the fields the filter may send to a client. Optional
 * fields are {@code null} when S3 sent none.
 *
 * @param contentLength the length in bytes of the whole object
 * @param eTag the entity tag as S3 sent it, quotes included
 * @param lastModified when the object was last written, at second precision
 * @param contentType the stored {@code Content-Type}
 * @param contentEncoding the stored {@code Content-Encoding}
 * @param contentDisposition the stored {@code Content-Disposition}
 * @param contentLanguage the stored {@code Content-Language}
 * @param cacheControl the stored {@code Cache-Control}
 * @param expires the stored {@code Expires}, as an HTTP date
 */
public record ObjectMetadata(
    long contentLength,
    String eTag,
    Instant lastModified,
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    String expires) {

  /**
   * Validates the length.
   *
   * @param contentLength the length in bytes of the whole object
   * @param eTag the entity tag as S3 sent it, quotes included
   * @param lastModified when the object was last written, at second precision
   * @param contentType the stored {@code Content-Type}
   * @param contentEncoding the stored {@code Content-Encoding}
   * @param contentDisposition the stored {@code Content-Disposition}
   * @param contentLanguage the stored {@code Content-Language}
   * @param cacheControl the stored {@code Cache-Control}
   * @param expires the stored {@code Expires}, as an HTTP date
   * @throws IllegalArgumentException if the length is negative
   */
  public ObjectMetadata {
    if (contentLength < 0) {
      throw new IllegalArgumentException("contentLength must not be negative");
    }
  }

  /**
   * Returns the modification time, if S3 sent one.
   *
   * @return the modification time
   */
  public Optional<Instant> lastModifiedValue() {
    return Optional.ofNullable(lastModified);
  }
}
