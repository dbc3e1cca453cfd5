package dev.s3redirect.internal.http;

/**
 * Optional whitespace (RFC 9110 §5.6.3): {@code OWS = *( SP / HTAB )}, the only whitespace header
 * grammar allows around list elements and field values. Other Unicode whitespace is content.
 */
final class Ows {

  private Ows() {}

  /** Strips leading and trailing SP and HTAB, and nothing else. */
  static String trim(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
