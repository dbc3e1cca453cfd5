package dev.s3redirect.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDatesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1994-11-06T08:49:37Z,      'Sun, 06 Nov 1994 08:49:37 GMT'",
    "2024-03-05T07:08:09.999Z,  'Tue, 05 Mar 2024 07:08:09 GMT'",
    "1970-01-01T00:00:00Z,      'Thu, 01 Jan 1970 00:00:00 GMT'",
    "2038-01-19T03:14:08Z,      'Tue, 19 Jan 2038 03:14:08 GMT'",
  })
  void formatsImfFixdateInGmtWithTwoDigitDays(String instant, String expected) {
    assertThat(HttpDates.format(Instant.parse(instant))).isEqualTo(expected);
  }
}
