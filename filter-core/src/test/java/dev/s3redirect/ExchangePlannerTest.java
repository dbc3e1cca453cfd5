package dev.s3redirect;

import static dev.s3redirect.internal.http.Requests.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.internal.http.Requests;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every decision of the exchange planner, without a store, a container or a socket. */
class ExchangePlannerTest {

  static final S3Location LOCATION = S3Location.of("b", "k");
  static final String TAG = "\"v1\"";
  static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05Z");
  static final String MODIFIED_HTTP = "Fri, 02 Jan 2026 03:04:05 GMT";
  static final int LENGTH = 1000;
  static final AppHeaders NOTHING_SET = new AppHeaders(null, Map.of());

  static ObjectMetadata object(String tag) {
    return new ObjectMetadata(LENGTH, tag, MODIFIED, "text/plain", null, null, null, null, null);
  }

  static ExchangePlanner planner(String method, Requests.Header... headers) {
    return planner(NOTHING_SET, method, headers);
  }

  static ExchangePlanner planner(AppHeaders app, String method, Requests.Header... headers) {
    return new ExchangePlanner(LOCATION, Requests.request(method, headers), app, 16, 403);
  }

  static AppHeaders appSet(String... names) {
    Map<String, List<String>> set = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : names) {
      set.put(name, List.of("x"));
    }
    return new AppHeaders(null, set);
  }

  /** A body whose bytes the planner never reads. */
  record Body(ObjectMetadata metadata, Optional<ByteRange> part) implements ObjectContent {
    static Body whole(String tag) {
      return new Body(object(tag), Optional.empty());
    }

    static Body part(String tag, long first, long last) {
      return new Body(object(tag), Optional.of(new ByteRange(first, last)));
    }

    @Override
    public InputStream body() {
      throw new AssertionError("the planner read a body");
    }

    @Override
    public void abort() {
      throw new AssertionError("the planner released a body");
    }

    @Override
    public void close() {
      throw new AssertionError("the planner released a body");
    }
  }

  static Step.Get get(ObjectRequest request, Step.Purpose purpose) {
    return new Step.Get(request, purpose);
  }

  static ObjectRequest pinned(String tag) {
    return ObjectRequest.of(LOCATION).withIfMatch(tag);
  }

  @Nested
  @DisplayName("after the metadata (HeadObject)")
  class AfterHead {

    @Test
    @DisplayName("C20: HEAD answers with the headers of GET")
    void headAnswersWithHeaders() {
      assertThat(planner("HEAD").afterHead(object(TAG)))
          .isEqualTo(new Answer.ObjectHeaders(object(TAG)));
    }

    @Test
    @DisplayName("C12/C18: a current copy is 304, with the object's validators")
    void notModified() {
      assertThat(planner("HEAD", header("If-None-Match", TAG)).afterHead(object(TAG)))
          .isEqualTo(new Answer.NotModified(TAG, MODIFIED, null, null));
    }

    @Test
    @DisplayName("C11: a failed If-Match is 412")
    void preconditionFailed() {
      Step step = planner("GET", header("If-Match", "\"other\"")).afterHead(object(TAG));
      assertThat(step).isInstanceOf(Answer.ErrorResponse.class);
      assertThat(((Answer.ErrorResponse) step).status()).isEqualTo(412);
      assertThat(((Answer.ErrorResponse) step).outcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    @DisplayName("C05: no range overlapping the object is 416 with its length")
    void notSatisfiable() {
      Step step = planner("GET", header("Range", "bytes=5000-")).afterHead(object(TAG));
      assertThat(step)
          .isEqualTo(
              new Answer.ErrorResponse(
                  416,
                  Outcome.RANGE_NOT_SATISFIABLE,
                  List.of(new Header("Content-Range", "bytes */1000")),
                  "no range of the request overlaps the object"));
    }

    @ParameterizedTest(name = "GET with Range ''{0}'' of an object tagged {1}: {2} {3}")
    @CsvSource(
        delimiter = '|',
        value = {
          "|\"v1\"||\"v1\"",
          "bytes=10-19|\"v1\"|bytes=10-19|\"v1\"",
          "|W/\"v1\"||",
          "bytes=10-19|W/\"v1\"|bytes=10-19|",
          "bytes=10-19||bytes=10-19|",
        })
    @DisplayName("the object is fetched pinned to the version decided on, when it can be")
    void fetchesPinned(String range, String tag, String forwardedRange, String ifMatch) {
      Step step = planner("GET", header("Range", range)).afterHead(object(tag));
      assertThat(step)
          .isEqualTo(
              get(
                  ObjectRequest.of(LOCATION).withIfMatch(ifMatch).withRange(forwardedRange),
                  new Step.SameVersion()));
    }

    @Test
    @DisplayName("C07: several ranges fetch the first part pinned, to confirm the decision")
    void severalRangesFetchTheFirstPart() {
      Step step = planner("GET", header("Range", "bytes=0-9,500-509")).afterHead(object(TAG));
      assertThat(step)
          .isEqualTo(
              get(
                  pinned(TAG).withRange("bytes=0-9"),
                  new Step.FirstPart(List.of(new ByteRange(0, 9), new ByteRange(500, 509)))));
    }

    @ParameterizedTest(name = "C07: several ranges of an object tagged ''{0}'' get the object")
    @CsvSource(value = {"W/\"v1\"", "''"})
    void severalRangesWithoutAStrongTagGetTheObject(String tag) {
      String eTag = tag.isEmpty() ? null : tag;
      Step step = planner("GET", header("Range", "bytes=0-9,500-509")).afterHead(object(eTag));
      assertThat(step).isEqualTo(get(ObjectRequest.of(LOCATION), new Step.SameVersion()));
    }
  }

  @Nested
  @DisplayName("after a body (GetObject answered 200 or 206)")
  class AfterBody {

    static Stream<Arguments> bodies() {
      return Stream.of(
          // range asked, body sent, status, range sent, skip, read to the end of the body
          Arguments.of(null, Body.whole(TAG), 200, new ByteRange(0, 999), 0, true),
          Arguments.of("bytes=10-19", Body.part(TAG, 10, 19), 206, new ByteRange(10, 19), 0, true),
          Arguments.of("bytes=10-19", Body.whole(TAG), 206, new ByteRange(10, 19), 10, false),
          Arguments.of("bytes=990-", Body.whole(TAG), 206, new ByteRange(990, 999), 990, true),
          Arguments.of("bytes=10-19", Body.part(TAG, 5, 24), 206, new ByteRange(10, 19), 5, false),
          Arguments.of("bytes=-5", Body.part(TAG, 995, 999), 206, new ByteRange(995, 999), 0, true),
          Arguments.of("bytes=0-", Body.whole(TAG), 206, new ByteRange(0, 999), 0, true));
    }

    @ParameterizedTest(
        name = "C06: Range {0}, body {1}: {2} {3}, skipping {4}",
        autoCloseArguments = false)
    @MethodSource("bodies")
    void aBodyThatHoldsTheBytesIsStreamed(
        String range, Body body, int status, ByteRange sent, long skip, boolean toTheEnd) {
      Step step =
          planner("GET", header("Range", range))
              .afterGet(
                  get(ObjectRequest.of(LOCATION), new Step.ClientConditions()),
                  new GetResult.Found(body));
      assertThat(step)
          .isEqualTo(
              new Answer.ObjectBody(
                  status,
                  body,
                  Optional.of(sent),
                  new Answer.Slice(skip, sent.length(), toTheEnd)));
    }

    @Test
    @DisplayName("an empty object is streamed with nothing to send")
    void emptyObject() {
      var body =
          new Body(
              new ObjectMetadata(0, TAG, MODIFIED, null, null, null, null, null, null),
              Optional.empty());
      Step step =
          planner("GET")
              .afterGet(
                  get(ObjectRequest.of(LOCATION), new Step.ClientConditions()),
                  new GetResult.Found(body));
      assertThat(step)
          .isEqualTo(
              new Answer.ObjectBody(200, body, Optional.empty(), new Answer.Slice(0, 0, true)));
    }

    @Test
    @DisplayName("C06: a part that misses the range is not used: the range is asked again, pinned")
    void aPartThatMissesTheRange() {
      Step step =
          planner("GET", header("Range", "bytes=10-19"))
              .afterGet(
                  get(
                      ObjectRequest.of(LOCATION).withRange("bytes=10-19"),
                      new Step.ClientConditions()),
                  new GetResult.Found(Body.part(TAG, 0, 9)));
      assertThat(step).isEqualTo(get(pinned(TAG).withRange("bytes=10-19"), new Step.SameVersion()));
    }

    @Test
    @DisplayName("C13: a backend that answered 200 where the client's copy is current: 304")
    void aBodyWhereTheAnswerIs304() {
      Step step =
          planner("GET", header("If-Modified-Since", MODIFIED_HTTP))
              .afterGet(
                  get(
                      ObjectRequest.of(LOCATION).withIfModifiedSince(MODIFIED),
                      new Step.ClientConditions()),
                  new GetResult.Found(Body.whole(TAG)));
      assertThat(step).isEqualTo(new Answer.NotModified(TAG, MODIFIED, null, null));
    }

    @Test
    @DisplayName("C07: a first part that confirms the decision starts the multipart answer")
    void firstPartConfirms() {
      var ranges = List.of(new ByteRange(0, 9), new ByteRange(500, 509));
      Body first = Body.part(TAG, 0, 9);
      Step step =
          planner("GET", header("Range", "bytes=0-9,500-509"))
              .afterGet(
                  get(pinned(TAG).withRange("bytes=0-9"), new Step.FirstPart(ranges)),
                  new GetResult.Found(first));
      assertThat(step)
          .isEqualTo(new Answer.ObjectParts(first, ranges, new Answer.Slice(0, 10, true)));
    }

    @Test
    @DisplayName("C07: a first part whose object no longer has every range: decided afresh")
    void firstPartOfAnotherLength() {
      var ranges = List.of(new ByteRange(0, 9), new ByteRange(500, 509));
      var shorter =
          new Body(
              new ObjectMetadata(400, TAG, MODIFIED, "text/plain", null, null, null, null, null),
              Optional.of(new ByteRange(0, 9)));
      Step step =
          planner("GET", header("Range", "bytes=0-9,500-509"))
              .afterGet(
                  get(pinned(TAG).withRange("bytes=0-9"), new Step.FirstPart(ranges)),
                  new GetResult.Found(shorter));
      assertThat(step).isEqualTo(get(pinned(TAG).withRange("bytes=0-9"), new Step.SameVersion()));
    }
  }

  @Nested
  @DisplayName("after S3's 304, 412 and 416")
  class AfterConditionalAnswers {

    static Stream<Arguments> purposes() {
      return Stream.of(
          Arguments.of(new Step.ClientConditions(), "412"),
          Arguments.of(new Step.IfRangeTag(), "GET"),
          Arguments.of(new Step.SameVersion(), "HEAD"),
          Arguments.of(
              new Step.FirstPart(List.of(new ByteRange(0, 9), new ByteRange(50, 59))), "HEAD"));
    }

    @ParameterizedTest(name = "C11/C15: a 412 after {0}: {1}")
    @MethodSource("purposes")
    void preconditionFailed(Step.Purpose purpose, String expected) {
      Step step =
          planner("GET", header("Range", "bytes=0-9"), header("If-Range", TAG))
              .afterGet(get(pinned(TAG), purpose), new GetResult.PreconditionFailed());
      switch (expected) {
        case "412" -> assertThat(((Answer.ErrorResponse) step).status()).isEqualTo(412);
        case "GET" ->
            assertThat(step)
                .isEqualTo(get(ObjectRequest.of(LOCATION), new Step.ClientConditions()));
        default -> assertThat(step).isEqualTo(new Step.Head(LOCATION));
      }
    }

    @Test
    @DisplayName("C05: a 416 is checked against the metadata")
    void rangeNotSatisfiable() {
      Step step =
          planner("GET", header("Range", "bytes=5000-"))
              .afterGet(
                  get(
                      ObjectRequest.of(LOCATION).withRange("bytes=5000-"),
                      new Step.ClientConditions()),
                  new GetResult.RangeNotSatisfiable());
      assertThat(step).isEqualTo(new Step.Head(LOCATION));
    }

    @ParameterizedTest(
        name = "C18: a 304 with ETag {0}, Cache-Control {1}, Expires {2}, app sets {3}: {4}")
    @CsvSource({
      "\"v1\", max-age=5, Tue, true",
      "\"v1\",          , Tue, false",
      "\"v1\", max-age=5,    , false",
      "    , max-age=5, Tue, false",
    })
    void notModifiedIsPassedOnWhenComplete(
        String tag, String cacheControl, String expires, boolean passedOn) {
      var answer = new GetResult.NotModified(tag, MODIFIED, cacheControl, expires);
      Step step =
          planner("GET", header("If-None-Match", TAG))
              .afterGet(
                  get(ObjectRequest.of(LOCATION).withIfNoneMatch(TAG), new Step.ClientConditions()),
                  answer);
      assertThat(step)
          .isEqualTo(
              passedOn
                  ? new Answer.NotModified(tag, MODIFIED, cacheControl, expires)
                  : new Step.Head(LOCATION));
    }

    @Test
    @DisplayName("C18: the application's Cache-Control and Expires complete S3's 304")
    void notModifiedCompletedByTheApplication() {
      var answer = new GetResult.NotModified(TAG, MODIFIED, null, null);
      Step step =
          planner(appSet("Cache-Control", "Expires"), "GET", header("If-None-Match", TAG))
              .afterGet(
                  get(ObjectRequest.of(LOCATION).withIfNoneMatch(TAG), new Step.ClientConditions()),
                  answer);
      assertThat(step).isEqualTo(new Answer.NotModified(TAG, MODIFIED, null, null));
    }

    @Test
    @DisplayName("C17: a 304 to a question that cannot have one is not trusted")
    void notModifiedToAnUnconditionalQuestion() {
      Step step =
          planner("GET")
              .afterGet(
                  get(ObjectRequest.of(LOCATION), new Step.ClientConditions()),
                  new GetResult.NotModified(TAG, MODIFIED, "max-age=1", "Tue"));
      assertThat(step).isEqualTo(new Step.Head(LOCATION));
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {

    @ParameterizedTest(name = "{0} before the response started")
    @EnumSource(ObjectStoreException.Failure.class)
    void ofTheStore(ObjectStoreException.Failure failure) {
      Answer.ErrorResponse answer =
          planner("GET").afterStoreFailure(new ObjectStoreException(failure, "details", null));
      int status =
          switch (failure) {
            case NOT_FOUND -> 404;
            case ACCESS_DENIED -> 403;
            case THROTTLED -> 503;
            case TIMEOUT -> 504;
            case UNAVAILABLE -> 502;
          };
      assertThat(answer.status()).isEqualTo(status);
      assertThat(answer.headers())
          .isEqualTo(status == 503 ? List.of(new Header("Retry-After", "1")) : List.of());
      assertThat(answer.detail()).isEqualTo("details");
    }

    @Test
    @DisplayName("access denied answers the configured status")
    void accessDeniedAsConfigured() {
      var planner = new ExchangePlanner(LOCATION, Requests.request("GET"), NOTHING_SET, 16, 404);
      assertThat(
              planner
                  .afterStoreFailure(
                      new ObjectStoreException(
                          ObjectStoreException.Failure.ACCESS_DENIED, "", null))
                  .status())
          .isEqualTo(404);
    }

    @ParameterizedTest(name = "a body failing with {0}, committed {1}: {2}")
    @CsvSource({"read, false, 502", "timeout, false, 504", "read, true, cut", "timeout, true, cut"})
    void ofTheBody(String kind, boolean committed, String expected) {
      IOException failure =
          kind.equals("timeout") ? new SocketTimeoutException() : new IOException("reset");
      Answer answer = ExchangePlanner.afterBodyFailure("why", failure, committed);
      if (expected.equals("cut")) {
        assertThat(answer)
            .isEqualTo(new Answer.CutShort(Outcome.UPSTREAM_FAILED_AFTER_COMMIT, "why"));
      } else {
        assertThat(((Answer.ErrorResponse) answer).status()).isEqualTo(Integer.parseInt(expected));
      }
    }

    @Test
    @DisplayName("an object that changed on every read is 503 with Retry-After")
    void changedOnEveryRead() {
      Answer.ErrorResponse answer = planner("GET").changedOnEveryRead();
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.headers()).containsExactly(new Header("Retry-After", "1"));
    }
  }

  @Nested
  @DisplayName("C07: later parts of a multipart answer")
  class LaterParts {

    static final ByteRange RANGE = new ByteRange(500, 509);

    @Test
    @DisplayName("are asked pinned to the first part's version")
    void areAskedPinned() {
      assertThat(planner("GET").partRequest(object(TAG), RANGE))
          .isEqualTo(pinned(TAG).withRange("bytes=500-509"));
    }

    static Stream<Arguments> answers() {
      return Stream.of(
          Arguments.of(new GetResult.Found(Body.part(TAG, 500, 509)), "usable 0"),
          Arguments.of(new GetResult.Found(Body.part(TAG, 490, 519)), "usable 10"),
          Arguments.of(new GetResult.Found(Body.whole(TAG)), "usable 500"),
          Arguments.of(new GetResult.Found(Body.part("\"v2\"", 500, 509)), "unusable"),
          Arguments.of(new GetResult.Found(Body.part(TAG, 0, 9)), "unusable"),
          Arguments.of(new GetResult.PreconditionFailed(), "unusable"),
          Arguments.of(new GetResult.RangeNotSatisfiable(), "unusable"),
          Arguments.of(new GetResult.NotModified(TAG, null, null, null), "unusable"));
    }

    @ParameterizedTest(name = "S3 answering {0}: {1}", autoCloseArguments = false)
    @MethodSource("answers")
    void areCheckedBeforeAByteIsSent(GetResult answer, String expected) {
      PartBody part = planner("GET").checkPart(object(TAG), RANGE, answer);
      if (expected.startsWith("usable")) {
        long skip = Long.parseLong(expected.substring("usable ".length()));
        assertThat(part).isInstanceOf(PartBody.Usable.class);
        assertThat(((PartBody.Usable) part).slice().skip()).isEqualTo(skip);
        assertThat(((PartBody.Usable) part).slice().length()).isEqualTo(10);
      } else {
        assertThat(part).isInstanceOf(PartBody.Unusable.class);
      }
    }
  }
}
