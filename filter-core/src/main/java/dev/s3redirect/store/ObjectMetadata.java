package dev.s3redirect.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param checksums the checksums S3 stores for the whole object, by S3's lowercase algorithm name
 *     ({@code sha256}, {@code crc32c} …) as sent in its {@code x-amz-checksum-*} headers; empty
 *     when S3 sent none, and always empty for the answer to a ranged read, whose checksum headers
 *     (where a backend sends any) need not describe the whole object
 * @param checksumType S3's {@code x-amz-checksum-type} ({@code FULL_OBJECT} or {@code COMPOSITE}),
 *     or {@code null}
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
    String expires,
    Map<String, String> checksums,
    String checksumType) {

  /**
   * Validates the length and copies the checksums.
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
   * @param checksums the checksums S3 stores for the whole object, by algorithm; {@code null} for
   *     none
   * @param checksumType S3's checksum type, or {@code null}
   * @throws IllegalArgumentException if the length is negative
   */
  public ObjectMetadata {
    if (contentLength < 0) {
      throw new IllegalArgumentException("contentLength must not be negative");
    }
    Map<String, String> present = new LinkedHashMap<>();
    if (checksums != null) {
      checksums.forEach(
          (algorithm, value) -> {
            if (algorithm != null && value != null) {
              present.put(algorithm, value);
            }
          });
    }
    checksums = Map.copyOf(present);
  }

  /**
   * Metadata without checksums.
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
  public ObjectMetadata(
      long contentLength,
      String eTag,
      Instant lastModified,
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String contentLanguage,
      String cacheControl,
      String expires) {
    this(
        contentLength,
        eTag,
        lastModified,
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        Map.of(),
        null);
  }

  /**
   * Returns these metadata without checksums: for an answer that may not carry them.
   *
   * @return the metadata, without checksums
   */
  public ObjectMetadata withoutChecksums() {
    return checksums.isEmpty() && checksumType == null
        ? this
        : new ObjectMetadata(
            contentLength,
            eTag,
            lastModified,
            contentType,
            contentEncoding,
            contentDisposition,
            contentLanguage,
            cacheControl,
            expires);
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
