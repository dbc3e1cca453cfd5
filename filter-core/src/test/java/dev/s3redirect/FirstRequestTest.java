package dev.s3redirect;

import static dev.s3redirect.internal.http.Requests.header;
import static dev.s3redirect.internal.http.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.internal.http.Requests;
import dev.s3redirect.store.ObjectRequest;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the first S3 request carries of the client's method, conditions and range. */
class FirstRequestTest {

  private static final S3Location LOCATION = S3Location.of("b", "k");
  private static final int MAX_RANGES = 3;
  private static final String DATE = "Tue, 05 Mar 2024 07:08:09 GMT";
  private static final Instant INSTANT = Instant.parse("2024-03-05T07:08:09Z");
  private static final long LARGEST = FirstRequest.LARGEST_FORWARDED_POSITION;

  private static Step plan(String method, Requests.Header... headers) {
    return FirstRequest.plan(LOCATION, request(method, headers), MAX_RANGES);
  }

  /** The S3 request of a plan that is a GetObject, and not pinned by If-Range. */
  private static ObjectRequest unpinnedGet(Step plan) {
    assertThat(plan).isInstanceOf(Step.Get.class);
    Step.Get get = (Step.Get) plan;
    assertThat(get.purpose()).isEqualTo(new Step.ClientConditions());
    return get.request();
  }

  @Nested
  @DisplayName("C01: the method")
  class Method {

    @ParameterizedTest(name = "C01: HEAD with {0} asks for the metadata")
    @ValueSource(strings = {"", "Range", "If-None-Match", "If-Match"})
    void headAsksForMetadata(String name) {
      Step plan =
          name.isEmpty()
              ? plan("HEAD")
              : plan("HEAD", header(name, "\"v1\""), header("Range", "bytes=0-9"));

      assertThat(plan).isEqualTo(new Step.Head(LOCATION));
    }

    @ParameterizedTest(name = "C01/C12: {0} forwards no range and no condition")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void otherMethodsForwardNothing(String method) {
      Step plan =
          plan(
              method,
              header("Range", "bytes=0-9"),
              header("If-Range", "\"v1\""),
              header("If-Match", "\"v1\""),
              header("If-None-Match", "\"v2\""),
              header("If-Modified-Since", DATE));

      assertThat(plan)
          .isEqualTo(new Step.Get(ObjectRequest.of(LOCATION), new Step.ClientConditions()));
    }

    @Test
    @DisplayName("C01: a plain GET reads the whole object unconditionally")
    void plainGet() {
      assertThat(plan("GET"))
          .isEqualTo(new Step.Get(ObjectRequest.of(LOCATION), new Step.ClientConditions()));
    }
  }

  @Nested
  @DisplayName("C04/C06: one range is forwarded in canonical form")
  class OneRange {

    @ParameterizedTest(name = "C06: Range {0} is forwarded as {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "bytes=0-499                     | bytes=0-499",
          "Bytes=0-499                     | bytes=0-499",
          "'bytes=,0-499, '                | bytes=0-499",
          "bytes=500-                      | bytes=500-",
          "bytes=-500                      | bytes=-500",
          "bytes=0-0                       | bytes=0-0",
          "bytes=0-99999999999999999999    | bytes=0-",
          "bytes=10-9223372036854775807    | bytes=10-",
          "bytes=-99999999999999999999     | bytes=0-",
        })
    void singleRangeIsForwardedCanonically(String range, String forwarded) {
      ObjectRequest get = unpinnedGet(plan("GET", header("Range", range)));

      assertThat(get).isEqualTo(ObjectRequest.of(LOCATION).withRange(forwarded));
    }

    static Stream<Arguments> largePositions() {
      return Stream.of(
          Arguments.of("bytes=0-" + LARGEST, "bytes=0-" + LARGEST),
          Arguments.of("bytes=0-" + (LARGEST + 1), "bytes=0-"),
          Arguments.of("bytes=7-" + (LARGEST + 1), "bytes=7-"),
          Arguments.of("bytes=-" + LARGEST, "bytes=-" + LARGEST),
          Arguments.of("bytes=-" + (LARGEST + 1), "bytes=0-"));
    }

    @ParameterizedTest(name = "C04: Range {0} is forwarded as {1}")
    @MethodSource("largePositions")
    void positionsBeyondAnyObjectAreSentOpenEnded(String range, String forwarded) {
      assertThat(unpinnedGet(plan("GET", header("Range", range))).range()).isEqualTo(forwarded);
    }

    @ParameterizedTest(name = "C02/C03: Range {0} is not forwarded")
    @ValueSource(strings = {"items=0-9", "bytes=abc", "bytes=9-0", "bytes="})
    void ignoredRangeIsNotForwarded(String range) {
      assertThat(plan("GET", header("Range", range)))
          .isEqualTo(new Step.Get(ObjectRequest.of(LOCATION), new Step.ClientConditions()));
    }
  }

  @Nested
  @DisplayName("C07/C08: several ranges")
  class SeveralRanges {

    @ParameterizedTest(name = "C07: Range {0} asks for the metadata first")
    @ValueSource(strings = {"bytes=0-9,20-29", "bytes=0-9,0-9", "bytes=0-9,20-29,-5"})
    void rangesUpToTheCapAskForMetadata(String range) {
      assertThat(plan("GET", header("Range", range), header("If-None-Match", "\"v1\"")))
          .isEqualTo(new Step.Head(LOCATION));
    }

    @Test
    @DisplayName("C08: more ranges than the cap read the whole object, with the conditions")
    void moreThanTheCapReadsTheWholeObject() {
      ObjectRequest get =
          unpinnedGet(
              plan(
                  "GET",
                  header("Range", "bytes=0-0,2-2,4-4,6-6"),
                  header("If-None-Match", "\"v1\"")));

      assertThat(get).isEqualTo(ObjectRequest.of(LOCATION).withIfNoneMatch("\"v1\""));
    }
  }

  @Nested
  @DisplayName("C15: If-Range")
  class IfRangeHeader {

    private Step.Get pinned(Requests.Header... headers) {
      Step plan = plan("GET", headers);
      assertThat(plan).isInstanceOf(Step.Get.class);
      Step.Get get = (Step.Get) plan;
      assertThat(get.purpose()).isEqualTo(new Step.IfRangeTag());
      return get;
    }

    @Test
    @DisplayName("C15: a strong If-Range tag forwards the range pinned with If-Match")
    void strongTagPinsTheRange() {
      Step.Get get = pinned(header("Range", "bytes=0-499"), header("If-Range", "\"v1\""));

      assertThat(get.request())
          .isEqualTo(ObjectRequest.of(LOCATION).withRange("bytes=0-499").withIfMatch("\"v1\""));
    }

    @ParameterizedTest(name = "C10/C15: with the pin, the client''s If-Match {0} stops forwarding")
    @ValueSource(strings = {"\"v1\"", "\"v2\"", "W/\"v1\"", "\"v1\", \"v2\""})
    void pinReplacesTheClientsIfMatchAndStops(String ifMatch) {
      Step.Get get =
          pinned(
              header("Range", "bytes=0-499"),
              header("If-Range", "\"v1\""),
              header("If-Match", ifMatch),
              header("If-None-Match", "\"v0\""),
              header("If-Modified-Since", DATE));

      assertThat(get.request())
          .isEqualTo(ObjectRequest.of(LOCATION).withRange("bytes=0-499").withIfMatch("\"v1\""));
    }

    @Test
    @DisplayName("C10/C15: with the pin, If-Match * is not forwarded and does not stop")
    void pinWithIfMatchStar() {
      Step.Get get =
          pinned(
              header("Range", "bytes=0-499"),
              header("If-Range", "\"v1\""),
              header("If-Match", "*"),
              header("If-None-Match", "\"v0\""));

      assertThat(get.request())
          .isEqualTo(
              ObjectRequest.of(LOCATION)
                  .withRange("bytes=0-499")
                  .withIfMatch("\"v1\"")
                  .withIfNoneMatch("\"v0\""));
    }

    @Test
    @DisplayName("C10/C15: with the pin, If-Unmodified-Since stops forwarding")
    void pinWithIfUnmodifiedSince() {
      Step.Get get =
          pinned(
              header("Range", "bytes=0-499"),
              header("If-Range", "\"v1\""),
              header("If-Unmodified-Since", DATE),
              header("If-None-Match", "\"v0\""));

      assertThat(get.request())
          .isEqualTo(ObjectRequest.of(LOCATION).withRange("bytes=0-499").withIfMatch("\"v1\""));
    }

    @Test
    @DisplayName("C10/C15: with the pin, If-None-Match and If-Modified-Since are forwarded")
    void pinWithLaterConditions() {
      Step.Get withTag =
          pinned(
              header("Range", "bytes=-5"),
              header("If-Range", "\"v1\""),
              header("If-None-Match", "W/\"v0\""));
      Step.Get withDate =
          pinned(
              header("Range", "bytes=-5"),
              header("If-Range", "\"v1\""),
              header("If-Modified-Since", DATE));

      assertThat(withTag.request())
          .isEqualTo(
              ObjectRequest.of(LOCATION)
                  .withRange("bytes=-5")
                  .withIfMatch("\"v1\"")
                  .withIfNoneMatch("\"v0\""));
      assertThat(withDate.request())
          .isEqualTo(
              ObjectRequest.of(LOCATION)
                  .withRange("bytes=-5")
                  .withIfMatch("\"v1\"")
                  .withIfModifiedSince(INSTANT));
    }

    @ParameterizedTest(name = "C15: If-Range {0} forwards no range")
    @ValueSource(strings = {"W/\"v1\"", "garbage", "\"v1", "Tue, 05 Mar 2024 07:08:09 UTC"})
    void weakOrMalformedIfRangeForwardsNoRange(String ifRange) {
      ObjectRequest get =
          unpinnedGet(
              plan(
                  "GET",
                  header("Range", "bytes=0-499"),
                  header("If-Range", ifRange),
                  header("If-Match", "\"a\"")));

      assertThat(get).isEqualTo(ObjectRequest.of(LOCATION).withIfMatch("\"a\""));
    }

    @Test
    @DisplayName("C15: If-Range sent twice forwards no range")
    void ifRangeSentTwiceForwardsNoRange() {
      ObjectRequest get =
          unpinnedGet(
              plan(
                  "GET",
                  header("Range", "bytes=0-499"),
                  header("If-Range", "\"v1\""),
                  header("If-Range", "\"v1\"")));

      assertThat(get).isEqualTo(ObjectRequest.of(LOCATION));
    }

    @Test
    @DisplayName("C15: a date If-Range forwards the range unpinned, to be checked on the answer")
    void dateIfRangeForwardsTheRange() {
      ObjectRequest get =
          unpinnedGet(
              plan(
                  "GET",
                  header("Range", "bytes=0-499"),
                  header("If-Range", DATE),
                  header("If-Match", "\"a\"")));

      assertThat(get)
          .isEqualTo(ObjectRequest.of(LOCATION).withRange("bytes=0-499").withIfMatch("\"a\""));
    }

    @Test
    @DisplayName("C15: If-Range without Range forwards nothing of it")
    void ifRangeWithoutRange() {
      assertThat(plan("GET", header("If-Range", "\"v1\"")))
          .isEqualTo(new Step.Get(ObjectRequest.of(LOCATION), new Step.ClientConditions()));
    }
  }

  @Nested
  @DisplayName("C10-C14: conditions, forwarded in order while every earlier one is")
  class Conditions {

    @ParameterizedTest(
        name =
            "C10: If-Match {0}, If-Unmodified-Since {1}, If-None-Match {2},"
                + " If-Modified-Since {3} -> If-Match {4}, If-None-Match {5}, If-Modified-Since {6}")
    @CsvSource(
        delimiter = '|',
        value = {
          // C11: one strong If-Match is forwarded; weak, lists and malformed ones stop
          "\"a\"          |      |               |      | \"a\" |       | false",
          "\"a\"          |      | \"b\"         |      | \"a\" | \"b\" | false",
          "\"a\"          |      |               | DATE | \"a\" |       | true",
          "W/\"a\"        |      | \"b\"         | DATE |       |       | false",
          "\"a\", \"b\"   |      | \"b\"         |      |       |       | false",
          "\"a\", \"a\"   |      |               | DATE |       |       | false",
          "a              |      | \"b\"         |      |       |       | false",
          // C11: If-Match * is not forwarded and does not stop
          "*              |      | \"b\"         |      |       | \"b\" | false",
          "*              |      |               | DATE |       |       | true",
          // C14: If-Unmodified-Since is never forwarded; without If-Match it stops
          "               | DATE | \"b\"         |      |       |       | false",
          "               | DATE |               | DATE |       |       | false",
          "\"a\"          | DATE | \"b\"         |      | \"a\" | \"b\" | false",
          "*              | DATE |               | DATE |       |       | true",
          // C12: one If-None-Match tag is forwarded in strong form, * too, lists are not
          "               |      | \"b\"         |      |       | \"b\" | false",
          "               |      | W/\"b\"       |      |       | \"b\" | false",
          "               |      | *             |      |       | *     | false",
          "               |      | \"b\", \"c\"  |      |       |       | false",
          "               |      | b             |      |       |       | false",
          // C13: If-Modified-Since only without If-None-Match
          "               |      |               | DATE |       |       | true",
          "               |      | \"b\"         | DATE |       | \"b\" | false",
          "               |      | \"b\", \"c\"  | DATE |       |       | false",
        })
    void forwardsWhatS3EvaluatesAsRfc9110Does(
        String ifMatch,
        String ifUnmodifiedSince,
        String ifNoneMatch,
        String ifModifiedSince,
        String expectedIfMatch,
        String expectedIfNoneMatch,
        boolean expectedIfModifiedSince) {
      ObjectRequest get =
          unpinnedGet(
              plan(
                  "GET",
                  header("If-Match", ifMatch),
                  header("If-Unmodified-Since", ifUnmodifiedSince == null ? null : DATE),
                  header("If-None-Match", ifNoneMatch),
                  header("If-Modified-Since", ifModifiedSince == null ? null : DATE)));

      assertThat(get.location()).isEqualTo(LOCATION);
      assertThat(get.range()).isNull();
      assertThat(get.ifMatch()).isEqualTo(expectedIfMatch);
      assertThat(get.ifNoneMatch()).isEqualTo(expectedIfNoneMatch);
      assertThat(get.ifModifiedSince()).isEqualTo(expectedIfModifiedSince ? INSTANT : null);
    }

    @Test
    @DisplayName("C13: an invalid If-Modified-Since is not forwarded")
    void invalidDateIsNotForwarded() {
      ObjectRequest get =
          unpinnedGet(plan("GET", header("If-Modified-Since", "Tue, 05 Mar 2024 07:08:09 UTC")));

      assertThat(get).isEqualTo(ObjectRequest.of(LOCATION));
    }

    @Test
    @DisplayName("C06/C10: one range and the conditions travel together")
    void rangeAndConditions() {
      ObjectRequest get =
          unpinnedGet(
              plan(
                  "GET",
                  header("Range", "bytes=100-199"),
                  header("If-Match", "\"a\""),
                  header("If-None-Match", "\"b\"")));

      assertThat(get)
          .isEqualTo(
              ObjectRequest.of(LOCATION)
                  .withRange("bytes=100-199")
                  .withIfMatch("\"a\"")
                  .withIfNoneMatch("\"b\""));
    }
  }
}
