package dev.s3redirect.internal.http;

import dev.s3redirect.store.ByteRange;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The layout of a {@code multipart/byteranges} body (RFC 9110 §14.6): the bytes around each part,
 * and the exact length of the whole, known before the first byte is sent so that the response can
 * carry a {@code Content-Length}.
 *
 * <pre>
 * --BOUNDARY CRLF
 * Content-Type: type CRLF
 * Content-Range: bytes first-last/length CRLF
 * CRLF
 * part bytes
 * CRLF --BOUNDARY CRLF … (the next part)
 * CRLF --BOUNDARY-- CRLF
 * </pre>
 *
 * <p>The boundary is {@value #BOUNDARY_LENGTH} hexadecimal digits from a {@link SecureRandom}: a
 * client cannot guess it, so no object content can be crafted to contain it, and a chance match
 * with the object's bytes is as likely as guessing a 128-bit key.
 *
 * @param boundary the boundary, {@value #BOUNDARY_LENGTH} characters
 * @param contentType the {@code Content-Type} of every part
 * @param completeLength the length of the whole representation
 * @param ranges the parts, in the order they are sent; at least two
 */
public record MultipartByteRanges(
    String boundary, String contentType, long completeLength, List<ByteRange> ranges) {

  /** The length of every boundary. */
  public static final int BOUNDARY_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Validates the parts.
   *
   * @param boundary the boundary, {@value #BOUNDARY_LENGTH} characters
   * @param contentType the {@code Content-Type} of every part
   * @param completeLength the length of the whole representation
   * @param ranges the parts, in the order they are sent; at least two
   * @throws IllegalArgumentException if the boundary has another length, the content type holds a
   *     control character other than HTAB, or a range ends beyond the representation
   */
  public MultipartByteRanges {
    Objects.requireNonNull(boundary, "boundary");
    Objects.requireNonNull(contentType, "contentType");
    ranges = List.copyOf(ranges);
    if (boundary.length() != BOUNDARY_LENGTH) {
      throw new IllegalArgumentException("the boundary must have " + BOUNDARY_LENGTH + " chars");
    }
    if (contentType.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F)) {
      throw new IllegalArgumentException("control character in the content type");
    }
    if (ranges.size() < 2) {
      throw new IllegalArgumentException("a multipart body needs two parts or more");
    }
    for (ByteRange range : ranges) {
      if (range.last() >= completeLength) {
        throw new IllegalArgumentException(range + " ends beyond " + completeLength + " bytes");
      }
    }
  }

  /**
   * Returns a layout with a fresh random boundary.
   *
   * @param contentType the {@code Content-Type} of every part
   * @param completeLength the length of the whole representation
   * @param ranges the parts, in the order they are sent; at least two
   * @return the layout
   */
  public static MultipartByteRanges withRandomBoundary(
      String contentType, long completeLength, List<ByteRange> ranges) {
    byte[] random = new byte[BOUNDARY_LENGTH / 2];
    RANDOM.nextBytes(random);
    return new MultipartByteRanges(
        HexFormat.of().formatHex(random), contentType, completeLength, ranges);
  }

  /**
   * Returns the exact length of the body for these ranges, whatever the boundary: what a multipart
   * answer would cost, before deciding to send one.
   *
   * @param contentType the {@code Content-Type} of every part
   * @param completeLength the length of the whole representation
   * @param ranges the parts; at least two
   * @return the body length in bytes
   */
  public static long bodyLength(String contentType, long completeLength, List<ByteRange> ranges) {
    return new MultipartByteRanges("0".repeat(BOUNDARY_LENGTH), contentType, completeLength, ranges)
        .contentLength();
  }

  /**
   * Returns the response's {@code Content-Type}.
   *
   * @return {@code multipart/byteranges; boundary=…}
   */
  public String responseContentType() {
    return "multipart/byteranges; boundary=" + boundary;
  }

  /**
   * Returns the bytes sent before part {@code index}: its delimiter and header fields.
   *
   * @param index the part, from 0
   * @return the delimiter, {@code Content-Type}, {@code Content-Range} and the empty line
   */
  public byte[] partHeader(int index) {
    String delimiter = index == 0 ? "--" : "\r\n--";
    return (delimiter
            + boundary
            + "\r\nContent-Type: "
            + contentType
            + "\r\nContent-Range: "
            + ranges.get(index).contentRange(completeLength)
            + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Returns the bytes that end the body.
   *
   * @return the close delimiter
   */
  public byte[] closeDelimiter() {
    return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Returns the exact length of the body.
   *
   * @return part headers, part bytes and the close delimiter, added up
   */
  public long contentLength() {
    long length = closeDelimiter().length;
    for (int i = 0; i < ranges.size(); i++) {
      length += partHeader(i).length + ranges.get(i).length();
    }
    return length;
  }
}
