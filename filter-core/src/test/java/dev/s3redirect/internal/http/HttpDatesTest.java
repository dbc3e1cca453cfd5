package dev.s3redirect.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDatesTest {

  /** The year two-digit RFC 850 years are read against, so that the tables never go stale. */
  private static final int NOW = 2025;

  @ParameterizedTest(name = "C22: {0} is sent as {1}")
  @CsvSource({
    "1994-11-06T08:49:37Z,      'Sun, 06 Nov 1994 08:49:37 GMT'",
    "2024-03-05T07:08:09.999Z,  'Tue, 05 Mar 2024 07:08:09 GMT'",
    "1970-01-01T00:00:00Z,      'Thu, 01 Jan 1970 00:00:00 GMT'",
    "2038-01-19T03:14:08Z,      'Tue, 19 Jan 2038 03:14:08 GMT'",
  })
  void formatsImfFixdateInGmtWithTwoDigitDays(String instant, String expected) {
    assertThat(HttpDates.format(Instant.parse(instant))).isEqualTo(expected);
  }

  @Nested
  @DisplayName("C13/C14/C15: parsing HTTP dates (RFC 9110 §5.6.7)")
  class Parse {

    @ParameterizedTest(name = "C13/C14/C15: ''{0}'' is {1}")
    @CsvSource({
      // IMF-fixdate, RFC 850 and asctime spellings of the same moment
      "'Sun, 06 Nov 1994 08:49:37 GMT',     1994-11-06T08:49:37Z",
      "'Sunday, 06-Nov-94 08:49:37 GMT',    1994-11-06T08:49:37Z",
      "'Sun Nov  6 08:49:37 1994',          1994-11-06T08:49:37Z",
      "'Sun Nov 06 08:49:37 1994',          1994-11-06T08:49:37Z",
      "'Wed Nov 16 08:49:37 1994',          1994-11-16T08:49:37Z",
      // leap days
      "'Thu, 29 Feb 2024 12:00:00 GMT',     2024-02-29T12:00:00Z",
      "'Thursday, 29-Feb-24 12:00:00 GMT',  2024-02-29T12:00:00Z",
      "'Tue Feb 29 00:00:00 2000',          2000-02-29T00:00:00Z",
      // the epoch and the far future
      "'Thu, 01 Jan 1970 00:00:00 GMT',     1970-01-01T00:00:00Z",
      "'Thu Jan  1 00:00:00 1970',          1970-01-01T00:00:00Z",
      "'Fri, 31 Dec 9999 23:59:59 GMT',     9999-12-31T23:59:59Z",
      "'Fri Dec 31 23:59:59 9999',          9999-12-31T23:59:59Z",
      // a leap second is read as the second before it
      "'Sat, 31 Dec 2016 23:59:60 GMT',     2016-12-31T23:59:59Z",
      // a day name that does not match the date is tolerated
      "'Mon, 06 Nov 1994 08:49:37 GMT',     1994-11-06T08:49:37Z",
      "'Friday, 06-Nov-94 08:49:37 GMT',    1994-11-06T08:49:37Z",
      // surrounding spaces and tabs (OWS) are tolerated
      "'  Sun, 06 Nov 1994 08:49:37 GMT\t', 1994-11-06T08:49:37Z",
      "'\tSun Nov  6 08:49:37 1994 ',       1994-11-06T08:49:37Z",
    })
    void acceptsTheThreeFormsOfTheGrammar(String value, String expected) {
      assertThat(HttpDates.parse(value, NOW)).contains(Instant.parse(expected));
    }

    @ParameterizedTest(name = "C13/C14/C15: in {1}, ''{0}'' is in {2}")
    @CsvSource({
      "'Sunday, 06-Nov-94 08:49:37 GMT',    2025, 1994",
      "'Saturday, 01-Jan-00 00:00:00 GMT',  2025, 2000",
      "'Saturday, 01-Jan-25 00:00:00 GMT',  2025, 2025",
      "'Thursday, 01-Jan-70 00:00:00 GMT',  2025, 2070",
      "'Friday, 01-Jan-75 00:00:00 GMT',    2025, 2075",
      "'Thursday, 01-Jan-76 00:00:00 GMT',  2025, 1976",
      "'Friday, 01-Jan-99 00:00:00 GMT',    2025, 1999",
      "'Friday, 01-Jan-99 00:00:00 GMT',    2049, 2099",
      "'Friday, 01-Jan-99 00:00:00 GMT',    2048, 1999",
      "'Wednesday, 01-Jan-10 00:00:00 GMT', 2090, 2110",
      "'Sunday, 06-Nov-94 08:49:37 GMT',    1994, 1994",
    })
    void readsTwoDigitYearsAsAtMostFiftyYearsAhead(String value, int currentYear, int year) {
      assertThat(HttpDates.parse(value, currentYear))
          .map(instant -> instant.atZone(ZoneOffset.UTC).getYear())
          .contains(year);
    }

    @ParameterizedTest(name = "C13/C14/C15: ''{0}'' is not a date ({1})")
    @CsvSource(
        nullValues = "NULL",
        value = {
          "NULL,                                   null",
          "'',                                     empty",
          "'   ',                                  only whitespace",
          "garbage,                                garbage",
          "'1994-11-06T08:49:37Z',                 ISO 8601",
          "784111777,                              epoch seconds",
          "'Sun, 06 Nov 1994 25:49:37 GMT',        hour 25",
          "'Sun, 06 Nov 1994 24:00:00 GMT',        hour 24",
          "'Sun, 06 Nov 1994 08:60:37 GMT',        minute 60",
          "'Sun, 06 Nov 1994 08:49:60 GMT',        second 60 other than 23:59:60",
          "'Sun, 32 Dec 1994 08:49:37 GMT',        day 32",
          "'Sun, 00 Nov 1994 08:49:37 GMT',        day 00",
          "'Sun, 31 Nov 1994 08:49:37 GMT',        day 31 of a 30-day month",
          "'Sun, 30 Feb 1994 08:49:37 GMT',        Feb 30",
          "'Fri, 29 Feb 2100 08:49:37 GMT',        Feb 29 of a century that is no leap year",
          "'Wednesday, 29-Feb-23 08:49:37 GMT',    Feb 29 of a common year in RFC 850 form",
          "'Sux, 06 Nov 1994 08:49:37 GMT',        unknown day name",
          "'Sunday, 06 Nov 1994 08:49:37 GMT',     long day name in IMF-fixdate",
          "'Sun, 06-Nov-94 08:49:37 GMT',          short day name in RFC 850 form",
          "'sun, 06 Nov 1994 08:49:37 GMT',        lowercase day name",
          "'Sun, 06 nov 1994 08:49:37 GMT',        lowercase month",
          "'Sun, 06 NOV 1994 08:49:37 GMT',        uppercase month",
          "'Sun, 06 Nov 1994 08:49:37 gmt',        lowercase GMT",
          "'Sun, 06 Nov 1994 08:49:37 UTC',        UTC instead of GMT",
          "'Sun, 06 Nov 1994 08:49:37 +0000',      numeric offset",
          "'Sun, 06 Nov 1994 08:49:37 -0800',      non-GMT offset",
          "'Sun, 06 Nov 1994 08:49:37',            missing zone",
          "'Sun, 6 Nov 1994 08:49:37 GMT',         single-digit day in IMF-fixdate",
          "'Sun, 06 Nov 94 08:49:37 GMT',          two-digit year in IMF-fixdate",
          "'Sun, 06 Nov 10000 08:49:37 GMT',       five-digit year",
          "'Sun, 06 Nov 1994 8:49:37 GMT',         single-digit hour",
          "'Sun, 06 Nov 1994 08:49:37.000 GMT',    fraction of a second",
          "'Sun,  06 Nov 1994 08:49:37 GMT',       double space",
          "'Sun, 06 Nov 1994 08:49:37 GMT junk',   trailing junk",
          "'Sun, 06 Nov 1994 08:49:37 GMTx',       trailing junk glued to GMT",
          "'xSun, 06 Nov 1994 08:49:37 GMT',       leading junk",
          "'\u00a0Sun, 06 Nov 1994 08:49:37 GMT',  no-break space is not OWS",
          "'Sun, \u0660\u0666 Nov 1994 08:49:37 GMT', non-ASCII digits",
          "'Sunday, 06-Nov-1994 08:49:37 GMT',     four-digit year in RFC 850 form",
          "'Sun Nov 6 08:49:37 1994',              asctime single-digit day without padding",
          "'Sun Nov  6 08:49:37 94',               asctime two-digit year",
          "'Sun Nov  6 08:49:37 1994 GMT',         asctime with a zone",
        })
    void ignoresAnythingElse(String value, String why) {
      assertThat(HttpDates.parse(value, NOW)).isEmpty();
      assertThat(HttpDates.parse(value)).isEmpty();
    }

    @ParameterizedTest(name = "C15: the formatted {0} parses back to the same second")
    @CsvSource({
      "1970-01-01T00:00:00Z",
      "1994-11-06T08:49:37Z",
      "2024-02-29T23:59:59.999Z",
      "9999-12-31T23:59:59Z",
    })
    void parsesWhatItFormatsToTheSecond(String instant) {
      Instant moment = Instant.parse(instant);
      assertThat(HttpDates.parse(HttpDates.format(moment)))
          .contains(moment.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    @DisplayName("C13/C14/C15: the public overload reads IMF-fixdate against the real clock")
    void publicOverloadParsesImfFixdate() {
      assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
          .contains(Instant.parse("1994-11-06T08:49:37Z"));
    }
  }
}
