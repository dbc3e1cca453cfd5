package dev.s3redirect.internal.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP dates (RFC 9110 §5.6.7). */
public final class HttpDates {

  /** IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}, always two-digit days, always GMT. */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final List<String> MONTHS =
      List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

  private static final String DAY_NAME = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
  private static final String DAY_NAME_L =
      "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
  private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
  private static final String TIME_OF_DAY = "([0-9]{2}):([0-9]{2}):([0-9]{2})";

  /** {@code IMF-fixdate = day-name "," SP day SP month SP year SP time-of-day SP "GMT"}. */
  private static final Pattern IMF_FIXDATE_GRAMMAR =
      Pattern.compile(DAY_NAME + ", ([0-9]{2}) " + MONTH + " ([0-9]{4}) " + TIME_OF_DAY + " GMT");

  /** {@code rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP "GMT"}. */
  private static final Pattern RFC850_DATE_GRAMMAR =
      Pattern.compile(DAY_NAME_L + ", ([0-9]{2})-" + MONTH + "-([0-9]{2}) " + TIME_OF_DAY + " GMT");

  /**
   * {@code asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year}.
   */
  private static final Pattern ASCTIME_DATE_GRAMMAR =
      Pattern.compile(DAY_NAME + " " + MONTH + " ([0-9]{2}| [0-9]) " + TIME_OF_DAY + " ([0-9]{4})");

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

  /**
   * Returns the instant an HTTP date denotes, or empty when the value is not a valid HTTP date; it
   * never throws.
   *
   * <p>Accepts the three forms of RFC 9110 §5.6.7: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37
   * GMT}), the obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and the obsolete ANSI
   * C asctime form ({@code Sun Nov 6 08:49:37 1994}, or {@code Sun Nov 16 08:49:37 1994}). The
   * grammar is applied exactly, so that a date is never misread:
   *
   * <ul>
   *   <li>Day and month names are case-sensitive, as the grammar's {@code %s"…"} literals are; the
   *       zone must be the literal {@code GMT} (no other zone, no numeric offset); field widths and
   *       separators are fixed. Only surrounding spaces and horizontal tabs (OWS) are tolerated.
   *   <li>Fields must name a real moment: hour 00–23, minute 00–59, second 00–59, and a day that
   *       exists in its month (leap years included). The leap second {@code 23:59:60} that the
   *       grammar allows is read as {@code 23:59:59}, since an {@link Instant} cannot hold it.
   *   <li>The day of the week must be one of the grammar's names but need not match the date: the
   *       name is redundant, the numeric date alone determines the instant without ambiguity, and
   *       RFC 9110 does not ask recipients to check it.
   *   <li>A two-digit RFC 850 year is read as the latest year with those last two digits that is at
   *       most 50 years after the current year (UTC), which is the RFC 9110 §5.6.7 rule.
   * </ul>
   *
   * <p>An empty result means the header should be ignored, as RFC 9110 §13.1.3, §13.1.4 and §13.1.5
   * require for an invalid {@code If-Modified-Since}, {@code If-Unmodified-Since} or {@code
   * If-Range} date.
   *
   * @param value the header value, possibly {@code null}
   * @return the instant, or empty if {@code value} is not an HTTP date
   */
  public static Optional<Instant> parse(String value) {
    return parse(value, Year.now(ZoneOffset.UTC).getValue());
  }

  /**
   * Returns the instant an HTTP date denotes, reading two-digit years relative to {@code
   * currentYear}; otherwise as {@link #parse(String)}.
   *
   * @param value the header value, possibly {@code null}
   * @param currentYear the year the two-digit-year rule treats as now
   * @return the instant, or empty if {@code value} is not an HTTP date
   */
  static Optional<Instant> parse(String value, int currentYear) {
    if (value == null) {
      return Optional.empty();
    }
    String date = Ows.trim(value);
    Matcher m = IMF_FIXDATE_GRAMMAR.matcher(date);
    if (m.matches()) {
      return resolve(
          number(m, 3), m.group(2), number(m, 1), number(m, 4), number(m, 5), number(m, 6));
    }
    m = RFC850_DATE_GRAMMAR.matcher(date);
    if (m.matches()) {
      int year = fullYear(number(m, 3), currentYear);
      return resolve(year, m.group(2), number(m, 1), number(m, 4), number(m, 5), number(m, 6));
    }
    m = ASCTIME_DATE_GRAMMAR.matcher(date);
    if (m.matches()) {
      return resolve(
          number(m, 6), m.group(1), number(m, 2), number(m, 3), number(m, 4), number(m, 5));
    }
    return Optional.empty();
  }

  /** Returns the latest year ending in {@code twoDigits} that is at most 50 years ahead. */
  private static int fullYear(int twoDigits, int currentYear) {
    int latest = currentYear + 50;
    return latest - Math.floorMod(latest - twoDigits, 100);
  }

  /** Returns the instant the fields name in UTC, or empty if they name no real moment. */
  private static Optional<Instant> resolve(
      int year, String monthName, int day, int hour, int minute, int second) {
    int month = MONTHS.indexOf(monthName) + 1;
    if (second == 60 && hour == 23 && minute == 59) {
      second = 59; // a leap second; an Instant has no room for it
    }
    if (day < 1
        || day > YearMonth.of(year, month).lengthOfMonth()
        || hour > 23
        || minute > 59
        || second > 59) {
      return Optional.empty();
    }
    return Optional.of(
        LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC));
  }

  /** Reads a group of ASCII digits, with an optional leading space (the asctime day). */
  private static int number(Matcher m, int group) {
    return Integer.parseInt(m.group(group).trim());
  }
}
