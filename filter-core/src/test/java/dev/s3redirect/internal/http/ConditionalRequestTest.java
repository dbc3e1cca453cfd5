package dev.s3redirect.internal.http;

import static dev.s3redirect.internal.http.Requests.header;
import static dev.s3redirect.internal.http.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionalRequestTest {

  private static final String DATE = "Tue, 05 Mar 2024 07:08:09 GMT";
  private static final Instant INSTANT = Instant.parse("2024-03-05T07:08:09Z");
  private static final Validators CURRENT = Validators.of(EntityTag.strong("v1"), INSTANT);

  @Test
  @DisplayName("C10: a request without conditional headers has no conditions and no range")
  void unconditional() {
    ConditionalRequest request = ConditionalRequest.unconditional("GET");

    assertThat(request)
        .isEqualTo(
            new ConditionalRequest(
                "GET",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new RangeHeader.Absent()));
  }

  @Test
  @DisplayName("C10: a header source that answers null for absent headers is read as absent")
  void nullMeansAbsent() {
    assertThat(ConditionalRequest.parse("GET", name -> null))
        .isEqualTo(ConditionalRequest.unconditional("GET"));
  }

  @Test
  @DisplayName("C10: every header is parsed into its value")
  void parsesEveryHeader() {
    ConditionalRequest request =
        request(
            "GET",
            header("If-Match", "\"a\""),
            header("If-None-Match", "W/\"b\", \"c\""),
            header("If-Modified-Since", DATE),
            header("If-Unmodified-Since", "Tue Mar  5 07:08:09 2024"),
            header("If-Range", "\"a\""),
            header("Range", "bytes=0-9"));

    assertThat(request.ifMatch())
        .contains(new EntityTagCondition.AnyOf(List.of(EntityTag.strong("a"))));
    assertThat(request.ifNoneMatch())
        .contains(
            new EntityTagCondition.AnyOf(
                List.of(new EntityTag("\"b\"", true), EntityTag.strong("c"))));
    assertThat(request.ifModifiedSince()).contains(INSTANT);
    assertThat(request.ifUnmodifiedSince()).contains(INSTANT);
    assertThat(request.ifRange()).contains(new IfRange.TagCondition(EntityTag.strong("a")));
    assertThat(request.range())
        .isEqualTo(new RangeHeader.ByteRanges(List.of(new RangeHeader.FromTo(0, 9))));
  }

  @Nested
  @DisplayName("C13/C14: dates")
  class Dates {

    @ParameterizedTest(name = "C13/C14: {0} sent twice is ignored")
    @ValueSource(strings = {"If-Modified-Since", "If-Unmodified-Since"})
    void dateSentTwiceIsIgnored(String name) {
      ConditionalRequest request = request("GET", header(name, DATE), header(name, DATE));

      assertThat(request.ifModifiedSince()).isEmpty();
      assertThat(request.ifUnmodifiedSince()).isEmpty();
    }

    @ParameterizedTest(name = "C13/C14: {0}: {1} is ignored")
    @CsvSource(
        delimiter = '|',
        value = {
          "If-Modified-Since   | Tue, 05 Mar 2024 07:08:09 UTC",
          "If-Modified-Since   | '" + DATE + ", " + DATE + "'",
          "If-Modified-Since   | 1709622489",
          "If-Modified-Since   | ''",
          "If-Unmodified-Since | Tue, 05 Mar 2024 07:08:09 UTC",
          "If-Unmodified-Since | '" + DATE + ", " + DATE + "'",
          "If-Unmodified-Since | 2024-03-05T07:08:09Z",
        })
    void invalidDateIsIgnored(String name, String value) {
      ConditionalRequest request = request("GET", header(name, value));

      assertThat(request.ifModifiedSince()).isEmpty();
      assertThat(request.ifUnmodifiedSince()).isEmpty();
    }

    @Test
    @DisplayName("C13/C14: a valid date sent once is read")
    void dateSentOnceIsRead() {
      ConditionalRequest request =
          request(
              "GET",
              header("If-Modified-Since", DATE),
              header("If-Unmodified-Since", " " + DATE + "\t"));

      assertThat(request.ifModifiedSince()).contains(INSTANT);
      assertThat(request.ifUnmodifiedSince()).contains(INSTANT);
    }
  }

  @Nested
  @DisplayName("C15: If-Range")
  class IfRangeHeader {

    @Test
    @DisplayName("C15: If-Range sent twice never holds, even when both values match")
    void ifRangeSentTwiceNeverHolds() {
      ConditionalRequest request =
          request(
              "GET",
              header("Range", "bytes=0-9"),
              header("If-Range", "\"v1\""),
              header("If-Range", "\"v1\""));

      assertThat(request.ifRange()).containsInstanceOf(IfRange.Malformed.class);
      assertThat(request.ifRange().orElseThrow().holds(CURRENT)).isFalse();
      assertThat(Preconditions.rangeMayBeServed(request, CURRENT)).isFalse();
    }

    @Test
    @DisplayName("C15: If-Range sent once is read")
    void ifRangeSentOnceIsRead() {
      ConditionalRequest request =
          request("GET", header("Range", "bytes=0-9"), header("If-Range", DATE));

      assertThat(request.ifRange()).contains(new IfRange.DateCondition(INSTANT));
      assertThat(Preconditions.rangeMayBeServed(request, CURRENT)).isTrue();
    }
  }

  @Nested
  @DisplayName("C01/C02/C03: whether the Range applies")
  class ApplicableRange {

    @Test
    @DisplayName("C03: Range sent twice is ignored")
    void rangeSentTwiceIsIgnored() {
      ConditionalRequest request =
          request("GET", header("Range", "bytes=0-9"), header("Range", "bytes=0-9"));

      assertThat(request.hasApplicableRange()).isFalse();
      assertThat(request.range().resolve(1000, 10)).isInstanceOf(RangeResolution.Ignored.class);
    }

    @ParameterizedTest(name = "C01/C02/C03: {0} with Range {1} applies: {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET     | bytes=0-9        | true",
          "GET     | Bytes=0-9        | true",
          "GET     | bytes=0-9,20-29  | true",
          "GET     | bytes=5000-      | true",
          "GET     | bytes=-0         | true",
          "GET     |                  | false",
          "GET     | items=0-9        | false",
          "GET     | bytes=abc        | false",
          "GET     | bytes=9-0        | false",
          "HEAD    | bytes=0-9        | false",
          "POST    | bytes=0-9        | false",
          "PUT     | bytes=0-9        | false",
          "OPTIONS | bytes=0-9        | false",
        })
    void onlyGetWithWellFormedByteRanges(String method, String range, boolean expected) {
      assertThat(request(method, header("Range", range)).hasApplicableRange()).isEqualTo(expected);
    }
  }

  @Nested
  @DisplayName("C01/C13: the method")
  class Method {

    @ParameterizedTest(name = "C13: {0} may be answered with 304: {1}")
    @CsvSource({
      "GET,     true",
      "HEAD,    true",
      "POST,    false",
      "PUT,     false",
      "DELETE,  false",
      "OPTIONS, false",
    })
    void onlyGetAndHeadMayBeAnswered304(String method, boolean expected) {
      assertThat(ConditionalRequest.unconditional(method).isGetOrHead()).isEqualTo(expected);
    }

    /**
     * RFC 9110 §9.1: "The method token is case-sensitive". A lower-case {@code get} is another,
     * unknown method, not GET: it has no ranges and no 304.
     */
    @ParameterizedTest(name = "C01/C13: method {0} is not GET or HEAD")
    @ValueSource(strings = {"get", "Get", "head"})
    void methodTokenIsCaseSensitive(String method) {
      ConditionalRequest request = request(method, header("Range", "bytes=0-9"));

      assertThat(request.method()).isEqualTo(method);
      assertThat(request.isGetOrHead()).isFalse();
      assertThat(request.hasApplicableRange()).isFalse();
    }
  }

  @Test
  @DisplayName("C15: withoutRange drops Range and If-Range and keeps every other condition")
  void withoutRange() {
    ConditionalRequest request =
        request(
            "GET",
            header("If-Match", "\"a\""),
            header("If-None-Match", "\"b\""),
            header("If-Modified-Since", DATE),
            header("If-Unmodified-Since", DATE),
            header("If-Range", "\"a\""),
            header("Range", "bytes=0-9"));

    assertThat(request.withoutRange())
        .isEqualTo(
            new ConditionalRequest(
                "GET",
                request.ifMatch(),
                request.ifNoneMatch(),
                Optional.of(INSTANT),
                Optional.of(INSTANT),
                Optional.empty(),
                new RangeHeader.Absent()));
    assertThat(request.withoutRange().hasApplicableRange()).isFalse();
    assertThat(request.ifMatch()).isPresent();
    assertThat(request.ifNoneMatch()).isPresent();
  }
}
