package dev.s3redirect.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** HTTP dates (RFC 9110 §5.6.7). */
public final class HttpDates {

  /** IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}, always two-digit days, always GMT. */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private HttpDates() {}

  /**
   * Formats an instant as an IMF-fixdate, dropping fractions of a second.
   *
   * @param instant the instant
   * @return the HTTP date
   */
  public static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }
}
