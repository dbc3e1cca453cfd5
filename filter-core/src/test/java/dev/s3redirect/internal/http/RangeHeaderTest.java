package dev.s3redirect.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.store.ByteRange;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeHeaderTest {

  /** Enough for every table below that is not about the cap itself. */
  private static final int MAX_RANGES = 100;

  private static RangeResolution resolve(String header, long length) {
    return RangeHeader.parse(header).resolve(length, MAX_RANGES);
  }

  /** Reads {@code "0-9 500-599"} as a list of ranges. */
  static List<ByteRange> ranges(String text) {
    return Arrays.stream(text.split(" "))
        .map(range -> range.split("-"))
        .map(ends -> new ByteRange(Long.parseLong(ends[0]), Long.parseLong(ends[1])))
        .toList();
  }

  private static RangeResolution.Satisfiable satisfiable(String ranges) {
    return new RangeResolution.Satisfiable(ranges(ranges));
  }

  @Test
  @DisplayName("C01: a request without Range is answered whole")
  void absentHeaderIsIgnored() {
    assertThat(RangeHeader.parse(null)).isEqualTo(new RangeHeader.Absent());
    assertThat(resolve(null, 1000)).isInstanceOf(RangeResolution.Ignored.class);
  }

  @Nested
  @DisplayName("C02: the range unit (RFC 9110 §14.1, §14.2)")
  class Unit {

    @ParameterizedTest(name = "C02: {0} is a byte range")
    @ValueSource(strings = {"bytes=0-5", "Bytes=0-5", "BYTES=0-5", "bYtEs=0-5"})
    void unitNameIsCaseInsensitive(String header) {
      assertThat(resolve(header, 1000)).isEqualTo(satisfiable("0-5"));
    }

    @ParameterizedTest(name = "C02: {0} has an unknown unit and is ignored")
    @ValueSource(
        strings = {"items=0-5", "byte=0-5", "bytesx=0-5", "bits=0-5", "=0-5", "0-5", "bytes"})
    void unknownUnitIsIgnored(String header) {
      assertThat(RangeHeader.parse(header)).isInstanceOf(RangeHeader.Ignored.class);
      assertThat(resolve(header, 1000)).isInstanceOf(RangeResolution.Ignored.class);
    }
  }

  @Nested
  @DisplayName("C03: syntactically invalid range sets (RFC 9110 §14.1.1)")
  class Syntax {

    @ParameterizedTest(name = "C03: {0} is ignored as a whole")
    @ValueSource(
        strings = {
          "bytes=abc",
          "bytes=5-2",
          "bytes=",
          "bytes=,",
          "bytes= , ,",
          "bytes=-",
          "bytes=--1",
          "bytes=-1-2",
          "bytes=1-2-3",
          "bytes=0-1,abc",
          "bytes=0-1,5-2",
          "bytes=0-1;3-4",
          "bytes=0-1 3-4",
          "bytes=1 -2",
          "bytes=1- 2",
          "bytes=+1-2",
          "bytes=0x10-20",
          "bytes=1.5-2",
          "bytes=1e3-",
          "bytes=\u0661-\u0662",
          "bytes=0-1=2",
          "bytes=0-1,bytes=3-4",
        })
    void malformedSetIsIgnoredNeverThrown(String header) {
      assertThat(RangeHeader.parse(header)).isInstanceOf(RangeHeader.Ignored.class);
      assertThat(resolve(header, 1000)).isInstanceOf(RangeResolution.Ignored.class);
    }

    @ParameterizedTest(
        name = "C03: {0} is ignored: only SP and HTAB are whitespace, around elements")
    @ValueSource(
        strings = {
          "bytes =0-1",
          " bytes=0-1",
          "bytes=0-1,\u20035-6",
          "bytes=\u00a00-1",
          "bytes=0-1\n"
        })
    void whitespaceOutsideListElementsIsMalformed(String header) {
      assertThat(resolve(header, 1000)).isInstanceOf(RangeResolution.Ignored.class);
    }

    @ParameterizedTest(name = "C03: {0} is the range 0-1: OWS around the first element too")
    @ValueSource(strings = {"bytes= 0-1", "bytes=\t0-1", "bytes=0-1 ", "bytes= 0-1\t"})
    void optionalWhitespaceAroundTheFirstElementIsAllowed(String header) {
      assertThat(resolve(header, 1000)).isEqualTo(satisfiable("0-1"));
    }

    @ParameterizedTest(name = "C03: {0} is the list 0-1 and 500-501")
    @ValueSource(
        strings = {
          "bytes=0-1,500-501",
          "bytes=0-1, 500-501",
          "bytes=0-1 ,500-501",
          "bytes=0-1,\t500-501",
          "bytes=,0-1,,500-501,",
          "bytes=0-1, ,500-501",
        })
    void optionalWhitespaceAndEmptyElementsAroundCommasAreAllowed(String header) {
      assertThat(resolve(header, 1000)).isEqualTo(satisfiable("0-1 500-501"));
    }
  }

  @Nested
  @DisplayName("C04: numbers too large for a long (RFC 9110 §14.1.2)")
  class LargeNumbers {

    @ParameterizedTest(name = "C04: {0} of {1} bytes is {2}")
    @CsvSource({
      "bytes=0-99999999999999999999999,       1000,                0-999",
      "bytes=0-9223372036854775807,           1000,                0-999",
      "bytes=0-9223372036854775808,           1000,                0-999",
      "bytes=500-18446744073709551616,        1000,                500-999",
      "bytes=-99999999999999999999,           1000,                0-999",
      "bytes=-9223372036854775808,            1000,                0-999",
      "bytes=0-99999999999999999999,          9223372036854775807, 0-9223372036854775806",
      "bytes=-99999999999999999999,           9223372036854775807, 0-9223372036854775806",
      "bytes=9223372036854775806-, 9223372036854775807, 9223372036854775806-9223372036854775806",
    })
    void saturatesAndClamps(String header, long length, String expected) {
      assertThat(resolve(header, length)).isEqualTo(satisfiable(expected));
    }

    @ParameterizedTest(name = "C04: {0} of {1} bytes is unsatisfiable")
    @CsvSource({
      "bytes=99999999999999999999-,                     1000",
      "bytes=99999999999999999999-99999999999999999999, 1000",
      "bytes=9223372036854775807-,                      9223372036854775807",
      "bytes=9223372036854775808-9999999999999999999999, 9223372036854775807",
    })
    void saturatedFirstPositionIsUnsatisfiable(String header, long length) {
      assertThat(resolve(header, length)).isEqualTo(new RangeResolution.Unsatisfiable());
    }
  }

  @Nested
  @DisplayName("C05: unsatisfiable ranges (RFC 9110 §14.1.2)")
  class Unsatisfiable {

    @ParameterizedTest(name = "C05: {0} of {1} bytes is unsatisfiable")
    @CsvSource({
      "'bytes=1000-',           1000",
      "'bytes=1000-1000',       1000",
      "'bytes=1000-2000',       1000",
      "'bytes=5000-',           1000",
      "'bytes=-0',              1000",
      "'bytes=-0,-0',           1000",
      "'bytes=-0,1000-',        1000",
      "'bytes=2000-3000,1000-', 1000",
      "'bytes=0-',              0",
      "'bytes=0-0',             0",
      "'bytes=0-0,5-9',         0",
    })
    void noSatisfiableMemberMeans416(String header, long length) {
      assertThat(resolve(header, length)).isEqualTo(new RangeResolution.Unsatisfiable());
    }

    @ParameterizedTest(name = "C05: {0} of {1} bytes keeps only {2}")
    @CsvSource({
      "'bytes=2000-3000,0-9',     1000, 0-9",
      "'bytes=-0,500-599',        1000, 500-599",
      "'bytes=0-9,1000-,500-599', 1000, 0-9 500-599",
      "'bytes=999-,1000-',        1000, 999-999",
    })
    void unsatisfiableMembersAreDropped(String header, long length, String expected) {
      assertThat(resolve(header, length)).isEqualTo(satisfiable(expected));
    }

    @ParameterizedTest(name = "C05: {0} of an empty representation is satisfiable: 200, empty")
    @ValueSource(strings = {"bytes=-1", "bytes=-5", "bytes=0-,-5", "bytes=-0,-1"})
    void nonZeroSuffixOfAnEmptyRepresentationSendsItWhole(String header) {
      assertThat(resolve(header, 0)).isInstanceOf(RangeResolution.Ignored.class);
    }

    @Test
    @DisplayName("C05: a 416 names the complete length")
    void unsatisfiedContentRangeNamesTheLength() {
      assertThat(ByteRange.unsatisfiedContentRange(1000)).isEqualTo("bytes */1000");
    }
  }

  @Nested
  @DisplayName("C06: a single range (RFC 9110 §15.3.7.1)")
  class SingleRange {

    @ParameterizedTest(name = "C06: {0} of {1} bytes is {2}, {3} bytes")
    @CsvSource({
      "bytes=0-499,     1000, 0-499,   500",
      "bytes=500-999,   1000, 500-999, 500",
      "bytes=500-,      1000, 500-999, 500",
      "bytes=-500,      1000, 500-999, 500",
      "bytes=-1,        1000, 999-999, 1",
      "bytes=0-0,       1000, 0-0,     1",
      "bytes=999-,      1000, 999-999, 1",
      "bytes=0-,        1000, 0-999,   1000",
      "bytes=0-999,     1000, 0-999,   1000",
      "bytes=0-1000,    1000, 0-999,   1000",
      "bytes=-1000,     1000, 0-999,   1000",
      "bytes=-2000,     1000, 0-999,   1000",
      "bytes=0-,        1,    0-0,     1",
      "bytes=-5,        1,    0-0,     1",
    })
    void resolvesToExactlyOneRange(String header, long length, String expected, long bytes) {
      RangeResolution resolution = resolve(header, length);

      assertThat(resolution).isEqualTo(satisfiable(expected));
      assertThat(((RangeResolution.Satisfiable) resolution).ranges().get(0).length())
          .isEqualTo(bytes);
    }

    @ParameterizedTest(name = "C06: {0} of 1234 bytes is labelled {1}")
    @CsvSource({
      "bytes=0-499, bytes 0-499/1234",
      "bytes=-34,   bytes 1200-1233/1234",
      "bytes=0-,    bytes 0-1233/1234",
    })
    void contentRangeNamesPositionsAndCompleteLength(String header, String contentRange) {
      RangeResolution.Satisfiable resolution = (RangeResolution.Satisfiable) resolve(header, 1234);

      assertThat(resolution.ranges().get(0).contentRange(1234)).isEqualTo(contentRange);
    }

    @Test
    @DisplayName("C04/C06: a negative length is a programming error, not a client error")
    void negativeLengthIsRejected() {
      RangeHeader header = RangeHeader.parse("bytes=0-1");

      assertThatThrownBy(() -> header.resolve(-1, MAX_RANGES))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("C08: bounding range abuse (RFC 9110 §14.2, §17.15)")
  class Abuse {

    @ParameterizedTest(name = "C08: {0} with at most {1} ranges is ignored")
    @CsvSource({
      "'bytes=0-0,200-200,400-400',            2",
      "'bytes=0-0,0-0,0-0',                    2",
      "'bytes=0-0,5000-,6000-',                2",
      "'bytes=0-0',                            0",
    })
    void moreRangesThanTheCapAreIgnored(String header, int maxRanges) {
      assertThat(RangeHeader.parse(header).resolve(1000, maxRanges))
          .isInstanceOf(RangeResolution.Ignored.class);
    }

    @ParameterizedTest(name = "C08: {0} with at most {1} ranges is {2}")
    @CsvSource({
      "'bytes=0-0,200-200,400-400',  3, 0-0 200-200 400-400",
      "'bytes=0-0,,,200-200,',       2, 0-0 200-200",
      "'bytes=0-0',                  1, 0-0",
    })
    void rangesUpToTheCapAreServed(String header, int maxRanges, String expected) {
      assertThat(RangeHeader.parse(header).resolve(1000, maxRanges))
          .isEqualTo(satisfiable(expected));
    }

    @ParameterizedTest(name = "C08: {0} of 1000 bytes is {1}")
    @CsvSource({
      // overlapping, in any order
      "'bytes=0-99,50-149',             0-149",
      "'bytes=50-149,0-99',             0-149",
      "'bytes=0-499,100-199',           0-499",
      "'bytes=100-199,0-499',           0-499",
      "'bytes=0-0,0-0,0-0',             0-0",
      "'bytes=0-,0-,0-',                0-999",
      "'bytes=-100,900-',               900-999",
      // adjacent and near
      "'bytes=0-99,100-199',            0-199",
      "'bytes=100-199,0-99',            0-199",
      "'bytes=0-99,110-199',            0-199",
      "'bytes=0-0,2-2,4-4,6-6,8-8',     0-8",
      // merged ranges are sorted; the rest stay apart
      "'bytes=500-599,0-99,50-149',     0-149 500-599",
      "'bytes=800-899,500-599,550-650', 500-650 800-899",
      // nothing to merge: the client's order is kept
      "'bytes=500-599,0-99',            500-599 0-99",
      "'bytes=0-99,500-599',            0-99 500-599",
      "'bytes=900-,300-399,0-9',        900-999 300-399 0-9",
    })
    void overlappingAndNearRangesAreCoalesced(String header, String expected) {
      assertThat(resolve(header, 1000)).isEqualTo(satisfiable(expected));
    }

    @Test
    @DisplayName("C08: ranges whose positions are COALESCE_GAP apart are merged, one more are not")
    void coalesceGapIsTheLimit() {
      long near = 99 + RangeHeader.COALESCE_GAP;
      long far = near + 1;

      assertThat(resolve("bytes=0-99," + near + "-999", 1000)).isEqualTo(satisfiable("0-999"));
      assertThat(resolve("bytes=0-99," + far + "-999", 1000))
          .isEqualTo(satisfiable("0-99 " + far + "-999"));
    }

    @ParameterizedTest(name = "C08: {0} never asks for more bytes than the object has")
    @ValueSource(
        strings = {
          "bytes=0-,0-,0-,0-,0-,0-,0-,0-",
          "bytes=-1000,-999,-998,-997,-996",
          "bytes=0-0,0-1,0-2,0-3,0-4,0-5,0-6,0-7,0-8,0-9",
          "bytes=0-499,1-500,2-501,3-502,4-503",
          "bytes=900-,800-,700-,600-,500-,400-,300-,200-,100-,0-",
        })
    void resolvedRangesNeverOverlap(String header) {
      RangeResolution.Satisfiable resolution = (RangeResolution.Satisfiable) resolve(header, 1000);

      assertThat(resolution.ranges().stream().mapToLong(ByteRange::length).sum())
          .isLessThanOrEqualTo(1000);
      assertThat(resolution.ranges()).hasSize(1);
    }
  }
}
