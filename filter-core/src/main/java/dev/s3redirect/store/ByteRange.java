package dev.s3redirect.store;

/**
 * A satisfiable byte range of a representation: the positions {@code first} to {@code last}, both
 * inclusive, counted from zero (RFC 9110 §14.1.2).
 *
 * @param first the position of the first byte
 * @param last the position of the last byte, not less than {@code first}
 */
public record ByteRange(long first, long last) {

  /**
   * Validates the positions.
   *
   * @param first the position of the first byte
   * @param last the position of the last byte, not less than {@code first}
   * @throws IllegalArgumentException if {@code first} is negative or {@code last} is before it
   */
  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
    }
  }

  /**
   * Returns the number of bytes in the range.
   *
   * @return {@code last - first + 1}
   */
  public long length() {
    return last - first + 1;
  }

  /**
   * Returns whether this range holds every byte of {@code other}.
   *
   * @param other another range
   * @return whether {@code other} lies within this range
   */
  public boolean encloses(ByteRange other) {
    return first <= other.first && other.last <= last;
  }

  /**
   * Returns the {@code Content-Range} value of a part holding this range (RFC 9110 §14.4).
   *
   * @param completeLength the length of the whole representation
   * @return for example {@code bytes 0-499/1234}
   */
  public String contentRange(long completeLength) {
    return "bytes " + first + "-" + last + "/" + completeLength;
  }

  /**
   * Returns the {@code Content-Range} value of a 416 response (RFC 9110 §15.5.17).
   *
   * @param completeLength the length of the whole representation
   * @return for example {@code bytes *}{@code /1234}
   */
  public static String unsatisfiedContentRange(long completeLength) {
    return "bytes */" + completeLength;
  }

  /**
   * Returns the {@code Range} request header value asking for exactly this range.
   *
   * @return for example {@code bytes=0-499}
   */
  public String toRangeHeaderValue() {
    return "bytes=" + first + "-" + last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
