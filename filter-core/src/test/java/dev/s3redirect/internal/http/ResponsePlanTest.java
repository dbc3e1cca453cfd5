package dev.s3redirect.internal.http;

import static dev.s3redirect.internal.http.RangeHeaderTest.ranges;
import static dev.s3redirect.internal.http.Requests.header;
import static dev.s3redirect.internal.http.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.store.ByteRange;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ResponsePlan#decide} end to end, for a 10,000-byte {@code text/plain} object with {@code
 * ETag: "v1"} last modified at {@code Tue, 05 Mar 2024 07:08:09 GMT}.
 */
class ResponsePlanTest {

  private static final String TYPE = "text/plain";
  private static final long LENGTH = 10_000;
  private static final int MAX_RANGES = 10;
  private static final String LAST_MODIFIED = "Tue, 05 Mar 2024 07:08:09 GMT";

  private static final Validators VALIDATORS =
      Validators.of(EntityTag.strong("v1"), Instant.parse("2024-03-05T07:08:09Z"));

  private static final Representation OBJECT = new Representation(VALIDATORS, LENGTH, TYPE, false);

  private static ResponsePlan decide(String method, Requests.Header... headers) {
    return ResponsePlan.decide(request(method, headers), OBJECT, MAX_RANGES);
  }

  private static ResponsePlan decide(Representation representation, String range) {
    return ResponsePlan.decide(request("GET", header("Range", range)), representation, MAX_RANGES);
  }

  private static ResponsePlan.Partial partial(String range) {
    return new ResponsePlan.Partial(ranges(range).get(0));
  }

  private static ResponsePlan.Multipart multipart(String ranges) {
    return new ResponsePlan.Multipart(ranges(ranges));
  }

  /** One-byte ranges {@code step} bytes apart, from position 0. */
  private static List<ByteRange> tinyRanges(int count, long step) {
    return LongStream.range(0, count).mapToObj(i -> new ByteRange(i * step, i * step)).toList();
  }

  /** The {@code Range} header asking for these ranges in this order. */
  private static String rangeHeader(List<ByteRange> ranges) {
    return ranges.stream().map(ByteRange::toString).collect(Collectors.joining(",", "bytes=", ""));
  }

  @Test
  @DisplayName("C10: a plain GET gets the whole object")
  void plainGetIsFull() {
    assertThat(decide("GET")).isEqualTo(new ResponsePlan.Full());
  }

  @Nested
  @DisplayName("C01: Range applies to GET only (RFC 9110 §14.2)")
  class OnlyGet {

    @ParameterizedTest(name = "C01: {0} with Range bytes=0-99 gets the whole object")
    @ValueSource(strings = {"HEAD", "POST", "PUT", "OPTIONS"})
    void otherMethodsIgnoreRange(String method) {
      assertThat(decide(method, header("Range", "bytes=0-99"))).isEqualTo(new ResponsePlan.Full());
    }

    @Test
    @DisplayName("C01: GET with Range bytes=0-99 gets that range")
    void getHonoursRange() {
      assertThat(decide("GET", header("Range", "bytes=0-99"))).isEqualTo(partial("0-99"));
    }
  }

  @Nested
  @DisplayName("C02/C03: ranges that are ignored")
  class Ignored {

    @ParameterizedTest(name = "C02/C03: Range {0} gets the whole object")
    @ValueSource(strings = {"items=0-5", "bytes=abc", "bytes=5-2", "bytes=", "bytes=--1"})
    void unknownUnitsAndMalformedSetsGetTheWholeObject(String range) {
      assertThat(decide("GET", header("Range", range))).isEqualTo(new ResponsePlan.Full());
    }
  }

  @Nested
  @DisplayName("C05: unsatisfiable ranges")
  class Unsatisfiable {

    @ParameterizedTest(name = "C05: Range {0} -> 416")
    @ValueSource(
        strings = {
          "bytes=10000-",
          "bytes=10000-10000",
          "bytes=-0",
          "bytes=20000-,-0",
          "bytes=99999999999999999999-",
        })
    void noSatisfiableRangeIs416(String range) {
      assertThat(decide("GET", header("Range", range)))
          .isEqualTo(new ResponsePlan.NotSatisfiable());
    }

    @Test
    @DisplayName("C05: an unsatisfiable member of a satisfiable set is dropped")
    void unsatisfiableMemberIsDropped() {
      assertThat(decide("GET", header("Range", "bytes=20000-,0-9"))).isEqualTo(partial("0-9"));
    }

    @Test
    @DisplayName("C05: any range of an empty object is unsatisfiable")
    void emptyObject() {
      Representation empty = new Representation(VALIDATORS, 0, TYPE, false);

      assertThat(decide(empty, "bytes=0-")).isEqualTo(new ResponsePlan.NotSatisfiable());
    }
  }

  @Nested
  @DisplayName("C06: one range (RFC 9110 §15.3.7.1)")
  class SingleRange {

    @ParameterizedTest(name = "C06: Range {0} -> 206 {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "bytes=0-499                       | 0-499",
          "bytes=9000-                       | 9000-9999",
          "bytes=-500                        | 9500-9999",
          "bytes=9999-99999999999999999999   | 9999-9999",
          "bytes=0-                          | 0-9999",
          "bytes=0-9999                      | 0-9999",
          "bytes=-10000                      | 0-9999",
          "bytes=-99999                      | 0-9999",
          "Bytes=0-0                         | 0-0",
        })
    void singleRangeIsPartialEvenForTheWholeObject(String range, String expected) {
      assertThat(decide("GET", header("Range", range))).isEqualTo(partial(expected));
    }
  }

  @Nested
  @DisplayName("C07: several ranges (RFC 9110 §15.3.7.2)")
  class SeveralRanges {

    @ParameterizedTest(name = "C07: Range {0} -> multipart {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "bytes=0-99,5000-5099          | 0-99 5000-5099",
          "bytes=5000-5099,0-99          | 5000-5099 0-99",
          "bytes=0-9,-10                 | 0-9 9990-9999",
          "bytes=0-9,20000-,5000-5009    | 0-9 5000-5009",
          "bytes=0-9,1000-1009,2000-2009 | 0-9 1000-1009 2000-2009",
        })
    void twoOrMoreDistantRangesAreMultipart(String range, String expected) {
      assertThat(decide("GET", header("Range", range))).isEqualTo(multipart(expected));
    }

    @ParameterizedTest(name = "C07: Range {0} is one range {1}, never multipart")
    @CsvSource(
        delimiter = '|',
        value = {
          "bytes=0-99,50-149          | 0-149",
          "bytes=0-99,0-99            | 0-99",
          "bytes=0-99,100-199         | 0-199",
          "bytes=0-99,20000-          | 0-99",
          "bytes=-100,9900-           | 9900-9999",
        })
    void rangesThatBecomeOneArePartial(String range, String expected) {
      assertThat(decide("GET", header("Range", range))).isEqualTo(partial(expected));
    }
  }

  @Nested
  @DisplayName("C08: no amplified answers (RFC 9110 §14.2, §17.15)")
  class Abuse {

    @Test
    @DisplayName("C08: more ranges than the cap get the whole object; as many as the cap do not")
    void moreRangesThanTheCapAreIgnored() {
      List<ByteRange> tooMany = tinyRanges(MAX_RANGES + 1, 900);
      List<ByteRange> asManyAsAllowed = tinyRanges(MAX_RANGES, 900);

      assertThat(decide("GET", header("Range", rangeHeader(tooMany))))
          .isEqualTo(new ResponsePlan.Full());
      assertThat(decide("GET", header("Range", rangeHeader(asManyAsAllowed))))
          .isEqualTo(new ResponsePlan.Multipart(asManyAsAllowed));
    }

    @Test
    @DisplayName("C08: many tiny ranges whose part headers outweigh the object get it whole")
    void manyTinyRangesGetTheWholeObject() {
      Representation small = new Representation(VALIDATORS, 500, TYPE, false);
      List<ByteRange> asked = tinyRanges(5, 100);

      assertThat(MultipartByteRanges.bodyLength(TYPE, 500, asked)).isGreaterThanOrEqualTo(500);
      assertThat(decide(small, rangeHeader(asked))).isEqualTo(new ResponsePlan.Full());
    }

    @Test
    @DisplayName("C08: two large ranges that nearly cover the object get it whole")
    void largeRangesGetTheWholeObject() {
      List<ByteRange> asked = ranges("0-4999 5100-9999");

      assertThat(MultipartByteRanges.bodyLength(TYPE, LENGTH, asked)).isGreaterThan(LENGTH);
      assertThat(decide("GET", header("Range", "bytes=0-4999,5100-9999")))
          .isEqualTo(new ResponsePlan.Full());
    }

    @Test
    @DisplayName("C08: multipart only when its body is smaller than the object, to the byte")
    void multipartOnlyWhenSmallerThanTheObject() {
      List<ByteRange> asked = ranges("0-0 200-200");
      long body = MultipartByteRanges.bodyLength(TYPE, 999, asked);
      // The body names the complete length; with as many digits, its length stays the same.
      assertThat(MultipartByteRanges.bodyLength(TYPE, body, asked)).isEqualTo(body);
      assertThat(MultipartByteRanges.bodyLength(TYPE, body + 1, asked)).isEqualTo(body);

      Representation asLongAsTheBody = new Representation(VALIDATORS, body, TYPE, false);
      Representation oneByteLonger = new Representation(VALIDATORS, body + 1, TYPE, false);

      assertThat(decide(asLongAsTheBody, "bytes=0-0,200-200")).isEqualTo(new ResponsePlan.Full());
      assertThat(decide(oneByteLonger, "bytes=0-0,200-200")).isEqualTo(multipart("0-0 200-200"));
    }

    @ParameterizedTest(name = "C08: Range {0} never costs more bytes than the object")
    @ValueSource(
        strings = {
          "bytes=0-,0-,0-,0-,0-,0-,0-,0-,0-,0-",
          "bytes=-10000,-9999,-9998,-9997,-9996",
          "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18",
          "bytes=0-0,100-100,200-200,300-300,400-400,500-500,600-600,700-700,800-800,900-900",
          "bytes=0-4999,1-5000,2-5001,3-5002,4-5003",
          "bytes=9000-,8000-,7000-,6000-,5000-,4000-,3000-,2000-,1000-,0-",
          "bytes=0-4000,5000-9999",
        })
    void answerIsNeverLargerThanTheObject(String range) {
      ResponsePlan plan = decide("GET", header("Range", range));

      assertThat(bodyLength(plan)).isLessThanOrEqualTo(LENGTH);
    }

    private long bodyLength(ResponsePlan plan) {
      if (plan instanceof ResponsePlan.Partial partial) {
        return partial.range().length();
      }
      if (plan instanceof ResponsePlan.Multipart multipart) {
        return MultipartByteRanges.bodyLength(TYPE, LENGTH, multipart.ranges());
      }
      assertThat(plan).isEqualTo(new ResponsePlan.Full());
      return LENGTH;
    }
  }

  @Nested
  @DisplayName("C09: an encoded representation (RFC 9110 §14.1.2)")
  class Encoded {

    /** 3,000 bytes of gzip: ranges count these bytes, not the decoded ones. */
    private final Representation gzipped =
        new Representation(VALIDATORS, 3000, "application/json", true);

    @ParameterizedTest(name = "C09: Range {0} -> 206 {1} of the encoded bytes")
    @CsvSource(
        delimiter = '|',
        value = {
          "bytes=0-99     | 0-99",
          "bytes=-100     | 2900-2999",
          "bytes=2000-    | 2000-2999",
          "bytes=0-9999   | 0-2999",
          "bytes=0-9,5-19 | 0-19",
        })
    void singleRangeCountsEncodedBytes(String range, String expected) {
      assertThat(decide(gzipped, range)).isEqualTo(partial(expected));
    }

    @Test
    @DisplayName("C09: several ranges of an encoded object get it whole")
    void severalRangesGetTheWholeObject() {
      assertThat(MultipartByteRanges.bodyLength("application/json", 3000, ranges("0-9 2000-2009")))
          .isLessThan(3000);
      assertThat(decide(gzipped, "bytes=0-9,2000-2009")).isEqualTo(new ResponsePlan.Full());
    }

    @Test
    @DisplayName("C05/C09: a range beyond the encoded length is unsatisfiable")
    void beyondTheEncodedLengthIsUnsatisfiable() {
      assertThat(decide(gzipped, "bytes=3000-")).isEqualTo(new ResponsePlan.NotSatisfiable());
    }
  }

  @Nested
  @DisplayName("C15: If-Range (RFC 9110 §13.1.5)")
  class IfRangeCondition {

    @ParameterizedTest(name = "C15: If-Range {0} with Range bytes=0-99 -> range served: {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"v1\"                           | true",
          "Tue, 05 Mar 2024 07:08:09 GMT    | true",
          "\"v2\"                           | false",
          "W/\"v1\"                         | false",
          "Tue, 05 Mar 2024 07:08:08 GMT    | false",
          "Tue, 05 Mar 2024 07:08:10 GMT    | false",
          "garbage                          | false",
          "\"v1                             | false",
        })
    void mismatchGetsTheWholeObjectNever412(String ifRange, boolean served) {
      ResponsePlan expected = served ? partial("0-99") : new ResponsePlan.Full();

      assertThat(decide("GET", header("Range", "bytes=0-99"), header("If-Range", ifRange)))
          .isEqualTo(expected);
    }

    @Test
    @DisplayName(
        "C15: a mismatching If-Range gets the whole object even for an unsatisfiable range")
    void mismatchWinsOverUnsatisfiable() {
      assertThat(decide("GET", header("Range", "bytes=20000-"), header("If-Range", "\"v2\"")))
          .isEqualTo(new ResponsePlan.Full());
      assertThat(decide("GET", header("Range", "bytes=20000-"), header("If-Range", "\"v1\"")))
          .isEqualTo(new ResponsePlan.NotSatisfiable());
    }

    @Test
    @DisplayName("C15: a matching If-Range lets several ranges be served")
    void matchServesMultipart() {
      assertThat(
              decide(
                  "GET",
                  header("Range", "bytes=0-99,5000-5099"),
                  header("If-Range", LAST_MODIFIED)))
          .isEqualTo(multipart("0-99 5000-5099"));
    }

    @Test
    @DisplayName("C15: If-Range without Range is ignored")
    void ifRangeWithoutRangeIsIgnored() {
      assertThat(decide("GET", header("If-Range", "\"v2\""))).isEqualTo(new ResponsePlan.Full());
      assertThat(decide("GET", header("If-Range", "\"v1\""))).isEqualTo(new ResponsePlan.Full());
    }

    @Test
    @DisplayName("C15: If-Range sent twice never lets the range be served")
    void ifRangeSentTwice() {
      assertThat(
              decide(
                  "GET",
                  header("Range", "bytes=0-99"),
                  header("If-Range", "\"v1\""),
                  header("If-Range", "\"v1\"")))
          .isEqualTo(new ResponsePlan.Full());
    }
  }

  @Nested
  @DisplayName("C16: preconditions before Range (RFC 9110 §13.2.2, §14.2)")
  class PreconditionsFirst {

    @ParameterizedTest(name = "C16: {0} {1}: {2} with Range {3} -> 304")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET  | If-None-Match     | \"v1\"       | bytes=0-99",
          "GET  | If-None-Match     | W/\"v1\"     | bytes=0-99,5000-5099",
          "GET  | If-None-Match     | *            | bytes=20000-",
          "GET  | If-Modified-Since | " + LAST_MODIFIED + " | bytes=0-99",
          "HEAD | If-None-Match     | \"v1\"       | bytes=0-99",
        })
    void notModifiedWinsOverRange(String method, String name, String value, String range) {
      assertThat(decide(method, header(name, value), header("Range", range)))
          .isEqualTo(new ResponsePlan.NotModified());
    }

    @ParameterizedTest(name = "C10/C16: {0} {1}: {2} with Range {3} -> 412")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET  | If-Match            | \"v2\"      | bytes=0-99",
          "GET  | If-Match            | W/\"v1\"    | bytes=20000-",
          "GET  | If-Unmodified-Since | Tue, 05 Mar 2024 07:08:08 GMT | bytes=0-99",
          "POST | If-None-Match       | \"v1\"      | bytes=0-99",
        })
    void preconditionFailedWinsOverRange(String method, String name, String value, String range) {
      assertThat(decide(method, header(name, value), header("Range", range)))
          .isEqualTo(new ResponsePlan.PreconditionFailed());
    }

    @Test
    @DisplayName("C10/C16: preconditions that hold let the range be served")
    void holdingPreconditionsServeTheRange() {
      ResponsePlan plan =
          decide(
              "GET",
              header("Range", "bytes=0-99"),
              header("If-Match", "\"v1\""),
              header("If-Unmodified-Since", LAST_MODIFIED),
              header("If-None-Match", "\"v2\""),
              header("If-Range", "\"v1\""));

      assertThat(plan).isEqualTo(partial("0-99"));
    }
  }
}
