package dev.s3redirect.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of {@code multipart/byteranges} bodies (RFC 9110 §14.6, RFC 2046 §5.1): it fails
 * on any byte out of place, so that tests check the exact layout, not a lenient reading.
 */
public final class Multipart {

  /**
   * One part.
   *
   * @param headers its header fields, by lower-case name
   * @param first the first position its {@code Content-Range} names
   * @param last the last position
   * @param completeLength the complete length its {@code Content-Range} names
   * @param body its bytes
   */
  public record Part(
      Map<String, String> headers, long first, long last, long completeLength, byte[] body) {}

  private static final Pattern BOUNDARY =
      Pattern.compile("multipart/byteranges; ?boundary=\"?([0-9A-Za-z'()+_,./:=?-]{1,70})\"?");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private Multipart() {}

  /** Returns the boundary a {@code Content-Type} names. */
  public static String boundary(String contentType) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.matches()) {
      throw new AssertionError("not a multipart/byteranges content type: " + contentType);
    }
    return m.group(1);
  }

  /** Reads every part; throws {@link AssertionError} on anything but the exact layout. */
  public static List<Part> parse(String contentType, byte[] body) {
    byte[] delimiter = ("--" + boundary(contentType)).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int at = expect(body, 0, delimiter);
    while (true) {
      if (startsWith(body, at, "--\r\n".getBytes(StandardCharsets.US_ASCII))
          && at + 4 == body.length) {
        return parts;
      }
      at = expect(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII));
      Map<String, String> headers = new TreeMap<>();
      while (!startsWith(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII))) {
        int end = indexOf(body, at, "\r\n".getBytes(StandardCharsets.US_ASCII));
        String line = new String(body, at, end - at, StandardCharsets.ISO_8859_1);
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new AssertionError("malformed part header line: " + line);
        }
        headers.put(
            line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        at = end + 2;
      }
      at += 2;
      String contentRange = headers.get("content-range");
      Matcher m = CONTENT_RANGE.matcher(contentRange == null ? "" : contentRange);
      if (!m.matches()) {
        throw new AssertionError("part without a valid Content-Range: " + headers);
      }
      long first = Long.parseLong(m.group(1));
      long last = Long.parseLong(m.group(2));
      int length = Math.toIntExact(last - first + 1);
      if (at + length > body.length) {
        throw new AssertionError("part " + contentRange + " runs past the body");
      }
      parts.add(
          new Part(
              headers,
              first,
              last,
              Long.parseLong(m.group(3)),
              Arrays.copyOfRange(body, at, at + length)));
      at = expect(body, at + length, "\r\n".getBytes(StandardCharsets.US_ASCII));
      at = expect(body, at, delimiter);
    }
  }

  private static int expect(byte[] body, int at, byte[] expected) {
    if (!startsWith(body, at, expected)) {
      throw new AssertionError(
          "expected '"
              + new String(expected, StandardCharsets.ISO_8859_1)
              + "' at byte "
              + at
              + " of "
              + body.length);
    }
    return at + expected.length;
  }

  private static boolean startsWith(byte[] body, int at, byte[] prefix) {
    return at + prefix.length <= body.length
        && Arrays.equals(body, at, at + prefix.length, prefix, 0, prefix.length);
  }

  /** Returns where {@code needle} first occurs at or after {@code from}. */
  public static int indexOf(byte[] body, int from, byte[] needle) {
    for (int i = from; i + needle.length <= body.length; i++) {
      if (startsWith(body, i, needle)) {
        return i;
      }
    }
    throw new AssertionError(
        "'" + new String(needle, StandardCharsets.ISO_8859_1) + "' not found after byte " + from);
  }
}
