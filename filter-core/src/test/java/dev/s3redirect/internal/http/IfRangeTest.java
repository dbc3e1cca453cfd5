package dev.s3redirect.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("C15: If-Range (RFC 9110 §13.1.5)")
class IfRangeTest {

  private static final EntityTag ETAG = EntityTag.strong("v1");

  /** Stored with milliseconds, as S3 keeps them; HTTP dates carry whole seconds. */
  private static final Instant LAST_MODIFIED = Instant.parse("2024-03-05T07:08:09.250Z");

  private static final Validators CURRENT = Validators.of(ETAG, LAST_MODIFIED);

  private static IfRange parse(String value) {
    return IfRange.parse(value).orElseThrow();
  }

  @Nested
  @DisplayName("C15: parsing: an entity-tag, a date, or neither")
  class Parse {

    @Test
    @DisplayName("C15: an absent header is no condition")
    void absentIsEmpty() {
      assertThat(IfRange.parse(null)).isEmpty();
    }

    @ParameterizedTest(name = "C15: {0} is the entity-tag {0}")
    @ValueSource(strings = {"\"v1\"", "W/\"v1\"", "\"\"", "\"Tue,05-Mar-2024\""})
    void quotedValueIsAnEntityTag(String value) {
      assertThat(parse(value))
          .isEqualTo(new IfRange.TagCondition(EntityTag.parse(value).orElseThrow()));
    }

    @ParameterizedTest(name = "C15: {0} is the date {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "Tue, 05 Mar 2024 07:08:09 GMT      | 2024-03-05T07:08:09Z",
          "' Tue, 05 Mar 2024 07:08:09 GMT '  | 2024-03-05T07:08:09Z",
          "Tue Mar  5 07:08:09 2024           | 2024-03-05T07:08:09Z",
        })
    void otherValueIsADate(String value, Instant date) {
      assertThat(parse(value)).isEqualTo(new IfRange.DateCondition(date));
    }

    @ParameterizedTest(name = "C15: {0} is malformed")
    @ValueSource(
        strings = {
          "",
          "v1",
          "\"v1",
          "W/v1",
          "W/\"v1",
          "\"v1\" x",
          "\"v1\", \"v2\"",
          "*",
          "2024-03-05T07:08:09Z",
          "Tue, 05 Mar 2024 07:08:09 UTC",
          "Tue, 05 Mar 2024 07:08:09 GMT, Tue, 05 Mar 2024 07:08:09 GMT",
        })
    void anythingElseIsMalformed(String value) {
      assertThat(parse(value)).isEqualTo(new IfRange.Malformed(value.strip()));
    }
  }

  @Nested
  @DisplayName("C15: whether the range may be served")
  class Holds {

    @ParameterizedTest(name = "C15: If-Range {0} holds for ETag \"v1\": {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"v1\"                           | true",
          "W/\"v1\"                         | false",
          "\"v2\"                           | false",
          "\"V1\"                           | false",
          "\"\"                             | false",
          "Tue, 05 Mar 2024 07:08:09 GMT    | true",
          "Tue Mar  5 07:08:09 2024         | true",
          "Tue, 05 Mar 2024 07:08:08 GMT    | false",
          "Tue, 05 Mar 2024 07:08:10 GMT    | false",
          "Fri, 31 Dec 9999 23:59:59 GMT    | false",
          "v1                               | false",
          "'\"v1\", \"v1\"'                 | false",
        })
    void holdsOnStrongMatchOrExactDate(String value, boolean expected) {
      assertThat(parse(value).holds(CURRENT)).isEqualTo(expected);
    }

    @Test
    @DisplayName("C15: a weak tag never holds, even against the same weak tag")
    void weakTagNeverHolds() {
      EntityTag weak = EntityTag.parse("W/\"v1\"").orElseThrow();

      assertThat(new IfRange.TagCondition(weak).holds(Validators.of(weak, LAST_MODIFIED)))
          .isFalse();
      assertThat(parse("\"v1\"").holds(Validators.of(weak, LAST_MODIFIED))).isFalse();
    }

    @Test
    @DisplayName("C15: a tag never holds for a representation without one")
    void tagNeedsAnEntityTag() {
      assertThat(parse("\"v1\"").holds(Validators.of(null, LAST_MODIFIED))).isFalse();
    }

    @Test
    @DisplayName("C15: a date never holds for a representation without Last-Modified")
    void dateNeedsLastModified() {
      assertThat(parse("Tue, 05 Mar 2024 07:08:09 GMT").holds(Validators.of(ETAG, null))).isFalse();
    }

    @Test
    @DisplayName("C15: Last-Modified is compared to the second, as it is sent")
    void validatorsTruncateToSeconds() {
      assertThat(CURRENT.lastModified()).contains(Instant.parse("2024-03-05T07:08:09Z"));
    }
  }
}
