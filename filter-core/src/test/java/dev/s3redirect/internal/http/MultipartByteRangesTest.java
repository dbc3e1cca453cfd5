package dev.s3redirect.internal.http;

import static dev.s3redirect.internal.http.RangeHeaderTest.ranges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.store.ByteRange;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("C07: multipart/byteranges (RFC 9110 §14.6, §15.3.7.2)")
class MultipartByteRangesTest {

  private static final String BOUNDARY = "0123456789abcdef0123456789abcdef";
  private static final byte[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

  /** Writes the whole body the way the response writer does: header, part bytes, … close. */
  private static byte[] assemble(MultipartByteRanges layout, byte[] object) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < layout.ranges().size(); i++) {
      ByteRange range = layout.ranges().get(i);
      body.writeBytes(layout.partHeader(i));
      body.write(object, (int) range.first(), (int) range.length());
    }
    body.writeBytes(layout.closeDelimiter());
    return body.toByteArray();
  }

  @Test
  @DisplayName("C07: the body is laid out byte for byte as RFC 9110 §14.6 shows")
  void exactLayout() {
    MultipartByteRanges layout =
        new MultipartByteRanges(BOUNDARY, "text/plain", 26, ranges("0-2 10-12"));

    String expected =
        "--0123456789abcdef0123456789abcdef\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Range: bytes 0-2/26\r\n"
            + "\r\n"
            + "abc"
            + "\r\n--0123456789abcdef0123456789abcdef\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Range: bytes 10-12/26\r\n"
            + "\r\n"
            + "klm"
            + "\r\n--0123456789abcdef0123456789abcdef--\r\n";

    assertThat(new String(assemble(layout, ALPHABET), StandardCharsets.ISO_8859_1))
        .isEqualTo(expected);
    assertThat(layout.contentLength()).isEqualTo(expected.length());
    assertThat(layout.responseContentType())
        .isEqualTo("multipart/byteranges; boundary=0123456789abcdef0123456789abcdef");
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of("text/plain", 26, "0-2 10-12"),
        Arguments.of("text/plain; charset=utf-8", 26, "20-25 0-0 5-9"),
        Arguments.of("application/octet-stream", 26, "0-0 25-25"),
        Arguments.of("image/png", 26, "0-12 13-25"),
        Arguments.of("video/mp4", 9_999_999_999L, "0-9 9999999990-9999999998"));
  }

  @ParameterizedTest(name = "C07: Content-Length is exact for {0}, {1} bytes, ranges {2}")
  @MethodSource("layouts")
  void contentLengthCountsEveryByte(String contentType, long completeLength, String parts) {
    MultipartByteRanges layout =
        new MultipartByteRanges(BOUNDARY, contentType, completeLength, ranges(parts));
    long partHeaders = 0;
    long partBytes = 0;
    for (int i = 0; i < layout.ranges().size(); i++) {
      partHeaders += layout.partHeader(i).length;
      partBytes += layout.ranges().get(i).length();
    }

    assertThat(layout.contentLength())
        .isEqualTo(partHeaders + partBytes + layout.closeDelimiter().length);
    assertThat(MultipartByteRanges.bodyLength(contentType, completeLength, ranges(parts)))
        .isEqualTo(layout.contentLength());
  }

  @ParameterizedTest(name = "C07: an assembled body of ranges {0} is Content-Length bytes")
  @ValueSource(strings = {"0-2 10-12", "20-25 0-0 5-9", "0-25 0-25", "25-25 0-0"})
  void assembledBodyHasContentLength(String parts) {
    MultipartByteRanges layout =
        MultipartByteRanges.withRandomBoundary("text/plain", 26, ranges(parts));

    assertThat(assemble(layout, ALPHABET)).hasSize((int) layout.contentLength());
  }

  @Nested
  @DisplayName("C07: the boundary")
  class Boundary {

    @Test
    @DisplayName("C07: a random boundary is 32 lowercase hex digits, new for every body")
    void randomBoundary() {
      MultipartByteRanges first =
          MultipartByteRanges.withRandomBoundary("text/plain", 26, ranges("0-2 10-12"));
      MultipartByteRanges second =
          MultipartByteRanges.withRandomBoundary("text/plain", 26, ranges("0-2 10-12"));

      assertThat(first.boundary()).matches("[0-9a-f]{32}");
      assertThat(second.boundary()).matches("[0-9a-f]{32}");
      assertThat(first.boundary()).isNotEqualTo(second.boundary());
    }

    @Test
    @DisplayName("C07: the boundary appears only in the delimiters")
    void boundaryOnlyInDelimiters() {
      MultipartByteRanges layout =
          MultipartByteRanges.withRandomBoundary("text/plain", 26, ranges("0-2 10-12 20-22"));
      String body = new String(assemble(layout, ALPHABET), StandardCharsets.ISO_8859_1);

      assertThat(body.split(layout.boundary(), -1)).hasSize(4 + 1);
      assertThat(body).startsWith("--" + layout.boundary() + "\r\n");
      assertThat(body).endsWith("\r\n--" + layout.boundary() + "--\r\n");
    }
  }

  @Nested
  @DisplayName("C07: programming errors")
  class Validation {

    @ParameterizedTest(name = "C07: a boundary of {0} characters is rejected")
    @ValueSource(ints = {0, 1, 31, 33, 70})
    void boundaryMustHave32Characters(int length) {
      String boundary = "a".repeat(length);

      assertThatThrownBy(
              () -> new MultipartByteRanges(boundary, "text/plain", 26, ranges("0-2 10-12")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("C07: a horizontal tab, legal in a field value, is kept in the part header")
    void tabInTheContentTypeIsKept() {
      var layout =
          new MultipartByteRanges(
              "0".repeat(MultipartByteRanges.BOUNDARY_LENGTH),
              "text/plain;\tcharset=utf-8",
              100,
              List.of(new ByteRange(0, 0), new ByteRange(50, 50)));
      assertThat(new String(layout.partHeader(0), StandardCharsets.ISO_8859_1))
          .contains("Content-Type: text/plain;\tcharset=utf-8\r\n");
    }

    @ParameterizedTest(name = "C07: content type {0} is rejected")
    @ValueSource(
        strings = {
          "text/plain\r\nX-Injected: 1",
          "text/plain\n",
          "text/plain\u0000",
          "text/plain\u007F",
        })
    void contentTypeMustHaveNoControlCharacters(String contentType) {
      assertThatThrownBy(
              () -> new MultipartByteRanges(BOUNDARY, contentType, 26, ranges("0-2 10-12")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "C07: ranges {0} of 26 bytes are rejected")
    @CsvSource({"0-2 10-26", "26-26 0-0", "0-2 20-99"})
    void rangesMustLieWithinTheRepresentation(String parts) {
      assertThatThrownBy(() -> new MultipartByteRanges(BOUNDARY, "text/plain", 26, ranges(parts)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> MultipartByteRanges.bodyLength("text/plain", 26, ranges(parts)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("C07: the last byte of the representation is still within it")
    void lastByteIsWithin() {
      assertThat(new MultipartByteRanges(BOUNDARY, "text/plain", 26, ranges("0-0 25-25")).ranges())
          .isEqualTo(ranges("0-0 25-25"));
    }

    @Test
    @DisplayName("C07: one range is never multipart")
    void fewerThanTwoRangesAreRejected() {
      List<ByteRange> one = ranges("0-2");

      assertThatThrownBy(() -> new MultipartByteRanges(BOUNDARY, "text/plain", 26, one))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new MultipartByteRanges(BOUNDARY, "text/plain", 26, List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> MultipartByteRanges.withRandomBoundary("text/plain", 26, one))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> MultipartByteRanges.bodyLength("text/plain", 26, one))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
