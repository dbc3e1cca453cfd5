package dev.s3redirect.internal.http;

import static dev.s3redirect.internal.http.Preconditions.Verdict.PROCEED;
import static dev.s3redirect.internal.http.Requests.header;
import static dev.s3redirect.internal.http.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.internal.http.Preconditions.Verdict;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The steps of RFC 9110 §13.2.2 as tables, against a representation with {@code ETag: "v1"} that
 * was last modified at {@code LM} (stored with milliseconds; sent as whole seconds). Dates in the
 * tables are symbols: {@code LM}, {@code LM-1s}, {@code LM+1s}, {@code FUTURE}, {@code INVALID}.
 */
class PreconditionsTest {

  private static final Instant LAST_MODIFIED = Instant.parse("2024-03-05T07:08:09.250Z");

  private static final Validators CURRENT = Validators.of(EntityTag.strong("v1"), LAST_MODIFIED);

  /** The HTTP date a table symbol stands for; an empty cell stays absent. */
  private static String date(String symbol) {
    if (symbol == null) {
      return null;
    }
    return switch (symbol) {
      case "LM" -> "Tue, 05 Mar 2024 07:08:09 GMT";
      case "LM-1s" -> "Tue, 05 Mar 2024 07:08:08 GMT";
      case "LM+1s" -> "Tue, 05 Mar 2024 07:08:10 GMT";
      case "FUTURE" -> "Fri, 31 Dec 9999 23:59:59 GMT";
      case "INVALID" -> "Tue, 05 Mar 2024 07:08:09 UTC";
      default -> throw new IllegalArgumentException("unknown date symbol: " + symbol);
    };
  }

  private static Verdict evaluate(
      String method,
      String ifMatch,
      String ifUnmodifiedSince,
      String ifNoneMatch,
      String ifModifiedSince,
      Validators current) {
    ConditionalRequest request =
        request(
            method,
            header("If-Match", ifMatch),
            header("If-Unmodified-Since", date(ifUnmodifiedSince)),
            header("If-None-Match", ifNoneMatch),
            header("If-Modified-Since", date(ifModifiedSince)));
    return Preconditions.evaluate(request, current);
  }

  @Test
  @DisplayName("C10: a request without conditions proceeds")
  void unconditionalRequestProceeds() {
    assertThat(Preconditions.evaluate(ConditionalRequest.unconditional("GET"), CURRENT))
        .isEqualTo(PROCEED);
  }

  @Nested
  @DisplayName("C11: step 1, If-Match")
  class Step1IfMatch {

    @ParameterizedTest(name = "C11: {0} with If-Match {1} -> {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET  | \"v1\"              | PROCEED",
          "GET  | \"v2\"              | PRECONDITION_FAILED",
          "GET  | W/\"v1\"            | PRECONDITION_FAILED",
          "GET  | \"V1\"              | PRECONDITION_FAILED",
          "GET  | \"v2\", \"v1\"      | PROCEED",
          "GET  | W/\"v1\", \"v2\"    | PRECONDITION_FAILED",
          "GET  | *                   | PROCEED",
          "GET  | v1                  | PRECONDITION_FAILED",
          "HEAD | \"v2\"              | PRECONDITION_FAILED",
          "HEAD | W/\"v1\"            | PRECONDITION_FAILED",
          "POST | \"v1\"              | PROCEED",
          "POST | W/\"v1\"            | PRECONDITION_FAILED",
          "PUT  | \"v2\"              | PRECONDITION_FAILED",
        })
    void usesTheStrongComparisonAndFailsWith412(String method, String ifMatch, Verdict expected) {
      assertThat(evaluate(method, ifMatch, null, null, null, CURRENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "C11: If-Match {0} on a representation without ETag -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"v1\" | PRECONDITION_FAILED",
          "*      | PROCEED",
        })
    void starHoldsForAnyExistingRepresentation(String ifMatch, Verdict expected) {
      Validators noTag = Validators.of(null, LAST_MODIFIED);

      assertThat(evaluate("GET", ifMatch, null, null, null, noTag)).isEqualTo(expected);
    }
  }

  @Nested
  @DisplayName("C14: step 2, If-Unmodified-Since")
  class Step2IfUnmodifiedSince {

    @ParameterizedTest(name = "C14: {0} with If-Match {1} and If-Unmodified-Since {2} -> {3}")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET  |        | LM      | PROCEED",
          "GET  |        | LM+1s   | PROCEED",
          "GET  |        | FUTURE  | PROCEED",
          "GET  |        | LM-1s   | PRECONDITION_FAILED",
          "HEAD |        | LM-1s   | PRECONDITION_FAILED",
          "POST |        | LM-1s   | PRECONDITION_FAILED",
          "POST |        | LM      | PROCEED",
          "GET  |        | INVALID | PROCEED",
          "GET  | \"v1\" | LM-1s   | PROCEED",
          "GET  | *      | LM-1s   | PROCEED",
          "GET  | \"v2\" | LM      | PRECONDITION_FAILED",
        })
    void failsWith412WhenModifiedSince(
        String method, String ifMatch, String ifUnmodifiedSince, Verdict expected) {
      assertThat(evaluate(method, ifMatch, ifUnmodifiedSince, null, null, CURRENT))
          .isEqualTo(expected);
    }

    @Test
    @DisplayName("C14: ignored for a representation without Last-Modified")
    void ignoredWithoutLastModified() {
      Validators noDate = Validators.of(EntityTag.strong("v1"), null);

      assertThat(evaluate("GET", null, "LM-1s", null, null, noDate)).isEqualTo(PROCEED);
    }
  }

  @Nested
  @DisplayName("C12: step 3, If-None-Match")
  class Step3IfNoneMatch {

    @ParameterizedTest(name = "C12: {0} with If-None-Match {1} -> {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET    | \"v1\"            | NOT_MODIFIED",
          "HEAD   | \"v1\"            | NOT_MODIFIED",
          "GET    | W/\"v1\"          | NOT_MODIFIED",
          "GET    | \"v2\"            | PROCEED",
          "GET    | \"V1\"            | PROCEED",
          "GET    | \"v2\", W/\"v1\"  | NOT_MODIFIED",
          "GET    | \"v2\", \"v3\"    | PROCEED",
          "GET    | *                 | NOT_MODIFIED",
          "HEAD   | *                 | NOT_MODIFIED",
          "GET    | v1                | PROCEED",
          "POST   | \"v1\"            | PRECONDITION_FAILED",
          "POST   | W/\"v1\"          | PRECONDITION_FAILED",
          "POST   | *                 | PRECONDITION_FAILED",
          "POST   | \"v2\"            | PROCEED",
          "PUT    | *                 | PRECONDITION_FAILED",
          "DELETE | \"v1\"            | PRECONDITION_FAILED",
        })
    void usesTheWeakComparisonAndAnswers304OnlyToGetAndHead(
        String method, String ifNoneMatch, Verdict expected) {
      assertThat(evaluate(method, null, null, ifNoneMatch, null, CURRENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "C12: If-None-Match {0} on a representation without ETag -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"v1\" | PROCEED",
          "*      | NOT_MODIFIED",
        })
    void starMatchesAnyExistingRepresentation(String ifNoneMatch, Verdict expected) {
      Validators noTag = Validators.of(null, LAST_MODIFIED);

      assertThat(evaluate("GET", null, null, ifNoneMatch, null, noTag)).isEqualTo(expected);
    }
  }

  @Nested
  @DisplayName("C13: step 4, If-Modified-Since")
  class Step4IfModifiedSince {

    @ParameterizedTest(name = "C13: {0} with If-None-Match {1} and If-Modified-Since {2} -> {3}")
    @CsvSource(
        delimiter = '|',
        value = {
          "GET    |        | LM      | NOT_MODIFIED",
          "HEAD   |        | LM      | NOT_MODIFIED",
          "GET    |        | LM+1s   | NOT_MODIFIED",
          "GET    |        | FUTURE  | NOT_MODIFIED",
          "GET    |        | LM-1s   | PROCEED",
          "HEAD   |        | LM-1s   | PROCEED",
          "GET    |        | INVALID | PROCEED",
          "POST   |        | LM      | PROCEED",
          "PUT    |        | FUTURE  | PROCEED",
          "DELETE |        | LM+1s   | PROCEED",
          "GET    | \"v2\" | LM      | PROCEED",
          "GET    | \"v2\" | FUTURE  | PROCEED",
          "GET    | v1     | LM      | PROCEED",
          "GET    | \"v1\" | LM-1s   | NOT_MODIFIED",
        })
    void answers304WhenNotModifiedSince(
        String method, String ifNoneMatch, String ifModifiedSince, Verdict expected) {
      assertThat(evaluate(method, null, null, ifNoneMatch, ifModifiedSince, CURRENT))
          .isEqualTo(expected);
    }

    @Test
    @DisplayName("C13: ignored for a representation without Last-Modified")
    void ignoredWithoutLastModified() {
      Validators noDate = Validators.of(EntityTag.strong("v1"), null);

      assertThat(evaluate("GET", null, null, null, "FUTURE", noDate)).isEqualTo(PROCEED);
    }
  }

  @Nested
  @DisplayName("C10: the order of the steps (RFC 9110 §13.2.2)")
  class Order {

    @ParameterizedTest(
        name =
            "C10: {0} If-Match {1}, If-Unmodified-Since {2}, If-None-Match {3},"
                + " If-Modified-Since {4} -> {5}")
    @CsvSource(
        delimiter = '|',
        value = {
          // a failed step 1 or 2 wins over a 304 of step 3 or 4
          "GET  | \"v2\" |       | \"v1\" |       | PRECONDITION_FAILED",
          "GET  | \"v2\" |       |        | LM    | PRECONDITION_FAILED",
          "GET  |        | LM-1s | \"v1\" |       | PRECONDITION_FAILED",
          "GET  |        | LM-1s |        | LM    | PRECONDITION_FAILED",
          "HEAD | W/\"v1\" |     | *      |       | PRECONDITION_FAILED",
          // step 1 passing skips step 2 and goes on to step 3 and 4
          "GET  | \"v1\" | LM-1s | \"v1\" |       | NOT_MODIFIED",
          "GET  | \"v1\" | LM-1s |        | LM    | NOT_MODIFIED",
          "GET  | \"v1\" | LM-1s | \"v2\" | LM    | PROCEED",
          "GET  | *      | LM-1s |        | LM-1s | PROCEED",
          "POST | \"v1\" | LM-1s | \"v1\" |       | PRECONDITION_FAILED",
          // step 2 passing goes on to step 3 and 4
          "GET  |        | LM    | W/\"v1\" |     | NOT_MODIFIED",
          "GET  |        | LM    |        | LM    | NOT_MODIFIED",
          "POST |        | LM    |        | LM    | PROCEED",
          // every condition holds
          "GET  | \"v1\" | LM    | \"v2\" | LM-1s | PROCEED",
          "GET  |        | LM    | \"v2\" | LM-1s | PROCEED",
        })
    void evaluatesTheStepsInOrder(
        String method,
        String ifMatch,
        String ifUnmodifiedSince,
        String ifNoneMatch,
        String ifModifiedSince,
        Verdict expected) {
      assertThat(
              evaluate(method, ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, CURRENT))
          .isEqualTo(expected);
    }
  }

  @Nested
  @DisplayName("C15: step 5, If-Range")
  class Step5IfRange {

    @ParameterizedTest(name = "C15: If-Range {0} lets the range be served: {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "                                 | true",
          "\"v1\"                           | true",
          "W/\"v1\"                         | false",
          "\"v2\"                           | false",
          "Tue, 05 Mar 2024 07:08:09 GMT    | true",
          "Tue, 05 Mar 2024 07:08:08 GMT    | false",
          "garbage                          | false",
        })
    void rangeMayBeServedOnlyWhenIfRangeHolds(String ifRange, boolean expected) {
      ConditionalRequest request =
          request("GET", header("Range", "bytes=0-9"), header("If-Range", ifRange));

      assertThat(Preconditions.rangeMayBeServed(request, CURRENT)).isEqualTo(expected);
    }
  }
}
