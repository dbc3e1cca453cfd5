package dev.s3redirect.internal.http;

import java.util.Objects;

/**
 * The selected representation as the response planner sees it (RFC 9110 §3.2): its validators, its
 * length, and what a {@code multipart/byteranges} part of it would be labelled with.
 *
 * @param validators its entity-tag and modification time
 * @param length its length in bytes (for an encoded representation, the encoded length)
 * @param contentType the {@code Content-Type} the response carries
 * @param encoded whether it has a {@code Content-Encoding}; ranges then count encoded bytes (RFC
 *     9110 §14.1.2), and only single ranges are served
 */
public record Representation(
    Validators validators, long length, String contentType, boolean encoded) {

  /**
   * Validates the parts.
   *
   * @param validators its entity-tag and modification time
   * @param length its length in bytes
   * @param contentType the {@code Content-Type} the response carries
   * @param encoded whether it has a {@code Content-Encoding}
   * @throws IllegalArgumentException if the length is negative
   */
  public Representation {
    Objects.requireNonNull(validators, "validators");
    Objects.requireNonNull(contentType, "contentType");
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
  }
}
