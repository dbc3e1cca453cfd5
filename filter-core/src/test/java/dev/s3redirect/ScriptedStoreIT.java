package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectStoreException.Failure;
import dev.s3redirect.testing.Multipart;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.ScriptedObjectStore;
import dev.s3redirect.testing.ScriptedObjectStore.ScriptedBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every branch of the exchange that real S3-compatible servers do not provoke on demand, driven
 * deterministically through the real filter in Jetty by a {@link ScriptedObjectStore}: each test
 * scripts S3's answers, then checks what the client got, exactly which S3 requests were sent, that
 * every body was released exactly once (closed only when read to its end), and the one event.
 */
@Timeout(60)
class ScriptedStoreIT {

  static final S3Location OBJECT = S3Location.of("media", "clip.bin");
  static final String TAG = "\"v1\"";
  static final String OTHER_TAG = "\"v2\"";
  static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05Z");
  static final String MODIFIED_HTTP = "Fri, 02 Jan 2026 03:04:05 GMT";
  static final int SMALL = 1000;
  static final int LARGE = 1024 * 1024;

  final ScriptedObjectStore store = new ScriptedObjectStore();
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  RedirectingApp app;

  static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static final byte[] V1 = bytes(LARGE, 1);
  static final byte[] V2 = bytes(LARGE, 2);

  static ObjectMetadata object(int length, String tag) {
    return new ObjectMetadata(
        length, tag, MODIFIED, "application/x-test", null, null, null, null, null);
  }

  static ObjectMetadata described(int length, String tag) {
    return new ObjectMetadata(
        length,
        tag,
        MODIFIED,
        "application/x-test",
        null,
        null,
        null,
        "max-age=60",
        "Tue, 01 Jan 2030 00:00:00 GMT");
  }

  static ScriptedBody whole(int length, String tag) {
    byte[] content = TAG.equals(tag) ? V1 : V2;
    return ScriptedBody.whole(object(length, tag), Arrays.copyOf(content, length));
  }

  static ScriptedBody part(int length, String tag, long first, long last) {
    byte[] content = TAG.equals(tag) ? V1 : V2;
    return ScriptedBody.part(
        object(length, tag), Arrays.copyOf(content, length), new ByteRange(first, last));
  }

  static byte[] slice(byte[] object, long first, long last) {
    return Arrays.copyOfRange(object, (int) first, (int) last + 1);
  }

  /**
   * The clients here refuse every digest: the scripts pin the planner's S3 requests, and a range's
   * Repr-Digest would add a HeadObject before them (ReprDigestIT pins that one).
   */
  static final String REFUSES_DIGESTS = "sha-256=0, sha-512=0";

  static String get(String range) {
    return "GET " + OBJECT + (range == null ? "" : " Range:" + range);
  }

  RedirectingApp app() throws Exception {
    return app(S3RedirectSettings.builder().allow("media").build());
  }

  RedirectingApp app(S3RedirectSettings settings) throws Exception {
    app = new RedirectingApp(store, settings);
    return app;
  }

  static String redirect(String appParameters) {
    return "/app/x?redirect="
        + URLEncoder.encode(OBJECT.toHeaderValue(), UTF_8)
        + (appParameters.isEmpty() ? "" : "&" + appParameters);
  }

  HttpResponse<byte[]> send(String method, String... headers) throws Exception {
    return sendTo(redirect(""), method, headers);
  }

  HttpResponse<byte[]> sendTo(String pathAndQuery, String method, String... headers)
      throws Exception {
    if (app == null) {
      app();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(app.uri(pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Want-Repr-Digest", REFUSES_DIGESTS)
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), BodyHandlers.ofByteArray());
  }

  /** Downloads over a raw socket: the head, and the body bytes before the connection ended. */
  record Raw(String head, long received) {}

  Raw raw(String... headerLines) throws Exception {
    if (app == null) {
      app();
    }
    String[] lines = Arrays.copyOf(headerLines, headerLines.length + 1);
    lines[headerLines.length] = "Want-Repr-Digest: " + REFUSES_DIGESTS;
    try (Socket socket = RawHttp.get(app.port(), redirect(""), lines)) {
      InputStream in = socket.getInputStream();
      String head = RawHttp.readHead(in);
      return new Raw(head, RawHttp.countToTheEnd(in));
    }
  }

  /** The one event of the exchange, once the filter reported it. */
  S3RedirectEvent event() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (app.events().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50); // a second event would be a bug: give it the time to show
    assertThat(app.events()).hasSize(1);
    return app.events().get(0);
  }

  static List<Multipart.Part> parts(HttpResponse<byte[]> response) {
    return Multipart.parse(
        response.headers().firstValue("Content-Type").orElseThrow(), response.body());
  }

  @AfterEach
  void everyBodyReleasedOnceAndTheScriptFollowed() throws Exception {
    try {
      if (app != null) {
        event(); // the exchange has ended, bodies included
      }
      assertThat(store.unexpected()).as("calls the script did not foresee").isEmpty();
      assertThat(store.exhausted()).as("every scripted answer used").isTrue();
      for (ScriptedBody body : store.bodies()) {
        assertThat(body.releases()).as("releases of " + body.metadata()).isEqualTo(1);
      }
    } finally {
      if (app != null) {
        app.close();
      }
    }
  }

  @Nested
  @DisplayName("a backend that answers beside the range")
  class BesideTheRange {

    @Test
    @DisplayName("C06: a backend that ignores Range sends the whole object: the filter skips to it")
    void ignoresTheRange() throws Exception {
      store.get(whole(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=10-19");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 10-19/1000");
      assertThat(response.body()).isEqualTo(slice(V1, 10, 19));
      assertThat(store.requests()).containsExactly(get("bytes=10-19"));
      assertThat(store.bodies().get(0).release()).isEqualTo(ScriptedBody.Release.ABORTED);
    }

    @Test
    @DisplayName("C06: a range that ends with the object is read to the end: the body is closed")
    void ignoresTheRangeUpToTheEnd() throws Exception {
      store.get(whole(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=990-");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).isEqualTo(slice(V1, 990, 999));
      assertThat(store.bodies().get(0).release()).isEqualTo(ScriptedBody.Release.CLOSED);
    }

    @Test
    @DisplayName("C06: a part that encloses the range is skipped into")
    void sendsALargerPart() throws Exception {
      store.get(part(SMALL, TAG, 5, 24));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=10-19");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).isEqualTo(slice(V1, 10, 19));
      assertThat(store.requests()).hasSize(1);
    }

    @Test
    @DisplayName("C06: another range than asked is aborted and the range asked again, pinned")
    void sendsAnotherRange() throws Exception {
      store.get(part(SMALL, TAG, 0, 9)).get(part(SMALL, TAG, 10, 19));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=10-19");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).isEqualTo(slice(V1, 10, 19));
      assertThat(store.requests())
          .containsExactly(get("bytes=10-19"), get("bytes=10-19") + " If-Match:" + TAG);
      assertThat(store.bodies().get(0).release()).isEqualTo(ScriptedBody.Release.ABORTED);
      assertThat(store.bodies().get(0).bytesRead()).isZero();
    }

    @Test
    @DisplayName("C06: a 206 to a request without Range is judged: the whole object is asked again")
    void sendsAPartOfAWholeObject() throws Exception {
      store.get(part(SMALL, TAG, 0, 9)).get(whole(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Arrays.copyOf(V1, SMALL));
      assertThat(store.requests()).containsExactly(get(null), get(null) + " If-Match:" + TAG);
    }
  }

  @Nested
  @DisplayName("an object that changes")
  class Changes {

    @Test
    @DisplayName("C07: an object that changes on every read ends at the step bound with 503")
    void onEveryRead() throws Exception {
      for (int version = 0; version < ExchangeDriver.MAX_STEPS / 2; version++) {
        store.head(object(SMALL, "\"v" + version + "\"")).get(new GetResult.PreconditionFailed());
      }

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=0-9,500-509");

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(new String(response.body(), UTF_8)).isEqualTo("Service Unavailable\n");
      assertThat(store.requests()).hasSize(ExchangeDriver.MAX_STEPS);
      assertThat(event().outcome()).isEqualTo(Outcome.UPSTREAM_FAILED);
    }

    @Test
    @DisplayName("C07: several ranges of an object without a strong ETag: 200, nothing to pin")
    void severalRangesWithoutAStrongTag() throws Exception {
      store.head(object(SMALL, "W/" + TAG)).get(whole(SMALL, "W/" + TAG));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=0-9,500-509");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).hasSize(SMALL);
      assertThat(store.requests()).containsExactly("HEAD " + OBJECT, get(null));
    }

    @Test
    @DisplayName("C07: a change before the first part is answered afresh, on the new version")
    void beforeTheFirstPart() throws Exception {
      store
          .head(object(SMALL, TAG))
          .get(new GetResult.PreconditionFailed())
          .head(object(SMALL, OTHER_TAG))
          .get(part(SMALL, OTHER_TAG, 0, 9))
          .get(part(SMALL, OTHER_TAG, 500, 509));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=0-9,500-509");

      assertThat(response.statusCode()).isEqualTo(206);
      List<Multipart.Part> parts = parts(response);
      assertThat(parts)
          .extracting(Multipart.Part::body)
          .containsExactly(slice(V2, 0, 9), slice(V2, 500, 509));
      assertThat(store.requests())
          .containsExactly(
              "HEAD " + OBJECT,
              get("bytes=0-9") + " If-Match:" + TAG,
              "HEAD " + OBJECT,
              get("bytes=0-9") + " If-Match:" + OTHER_TAG,
              get("bytes=500-509") + " If-Match:" + OTHER_TAG);
    }
  }

  @Nested
  @DisplayName("C18: S3's 304")
  class NotModified {

    @Test
    @DisplayName("C18: a 304 without ETag is completed by one HeadObject")
    void withoutEntityTag() throws Exception {
      store.get(new GetResult.NotModified(null, MODIFIED, null, null)).head(described(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "If-None-Match", TAG);

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.headers().firstValue("ETag")).hasValue(TAG);
      assertThat(response.headers().firstValue("Last-Modified")).hasValue(MODIFIED_HTTP);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=60");
      assertThat(store.requests())
          .containsExactly(get(null) + " If-None-Match:" + TAG, "HEAD " + OBJECT);
      assertThat(event().outcome()).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    @DisplayName("C18: a 304 without Cache-Control and Expires is completed by one HeadObject")
    void withoutCachingHeaders() throws Exception {
      store.get(new GetResult.NotModified(TAG, MODIFIED, null, null)).head(described(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "If-None-Match", TAG);

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=60");
      assertThat(response.headers().firstValue("Expires"))
          .hasValue("Tue, 01 Jan 2030 00:00:00 GMT");
      assertThat(store.requests()).hasSize(2);
    }

    @ParameterizedTest(name = "C18: a 304 with Cache-Control {0} and Expires {1} is completed")
    @CsvSource({"max-age=5, ''", "'', Tue 01 Jan 2030 00:00:00 GMT"})
    void withoutOneCachingHeader(String cacheControl, String expires) throws Exception {
      store
          .get(
              new GetResult.NotModified(
                  TAG,
                  MODIFIED,
                  cacheControl.isEmpty() ? null : cacheControl,
                  expires.isEmpty() ? null : expires))
          .head(described(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "If-None-Match", TAG);

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=60");
      assertThat(store.requests()).hasSize(2);
    }

    @Test
    @DisplayName("C18: a 304 is passed on at one request when the application set both")
    void completedByTheApplication() throws Exception {
      store.get(new GetResult.NotModified(TAG, MODIFIED, null, null));

      HttpResponse<byte[]> response =
          sendTo(
              redirect("cacheControl=no-cache&expires=" + URLEncoder.encode(MODIFIED_HTTP, UTF_8)),
              "GET",
              "If-Modified-Since",
              MODIFIED_HTTP);

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(store.requests()).containsExactly(get(null) + " If-Modified-Since:" + MODIFIED);
    }

    @Test
    @DisplayName("C18: a complete 304 is passed on at one request, with its headers")
    void complete() throws Exception {
      store.get(
          new GetResult.NotModified(TAG, MODIFIED, "max-age=5", "Tue, 01 Jan 2030 00:00:00 GMT"));

      HttpResponse<byte[]> response = send("GET", "If-None-Match", TAG);

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.headers().firstValue("ETag")).hasValue(TAG);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=5");
      assertThat(response.body()).isEmpty();
      assertThat(store.requests()).hasSize(1);
    }

    @Test
    @DisplayName("C17: a 304 to a request without conditions is not trusted: 200 from the object")
    void toAnUnconditionalRequest() throws Exception {
      store
          .get(new GetResult.NotModified(TAG, MODIFIED, null, null))
          .head(object(SMALL, TAG))
          .get(whole(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Arrays.copyOf(V1, SMALL));
      assertThat(store.requests())
          .containsExactly(get(null), "HEAD " + OBJECT, get(null) + " If-Match:" + TAG);
    }
  }

  @Nested
  @DisplayName("C11/C15: S3's 412, after each origin of the If-Match it judged")
  class PreconditionFailed {

    @Test
    @DisplayName("C11: after the client's own If-Match, 412 is the client's answer")
    void afterTheClientsCondition() throws Exception {
      store.get(new GetResult.PreconditionFailed());

      HttpResponse<byte[]> response = send("GET", "If-Match", OTHER_TAG);

      assertThat(response.statusCode()).isEqualTo(412);
      assertThat(new String(response.body(), UTF_8)).isEqualTo("Precondition Failed\n");
      assertThat(store.requests()).containsExactly(get(null) + " If-Match:" + OTHER_TAG);
      assertThat(event().outcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    @DisplayName("C15: after the If-Range tag, the whole object is asked for, never 412")
    void afterTheIfRangeTag() throws Exception {
      store.get(new GetResult.PreconditionFailed()).get(whole(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=0-9", "If-Range", OTHER_TAG);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Arrays.copyOf(V1, SMALL));
      assertThat(store.requests())
          .containsExactly(get("bytes=0-9") + " If-Match:" + OTHER_TAG, get(null));
    }

    @Test
    @DisplayName("C15: after the filter's own pin, the object changed: decided afresh")
    void afterTheFiltersPin() throws Exception {
      store
          .get(part(SMALL, TAG, 0, 9))
          .get(new GetResult.PreconditionFailed())
          .head(object(SMALL, OTHER_TAG))
          .get(whole(SMALL, OTHER_TAG));

      // A date If-Range that is not the object's: the range must not be served.
      HttpResponse<byte[]> response =
          send("GET", "Range", "bytes=0-9", "If-Range", "Thu, 01 Jan 2026 00:00:00 GMT");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Arrays.copyOf(V2, SMALL));
      assertThat(store.requests())
          .containsExactly(
              get("bytes=0-9"),
              get(null) + " If-Match:" + TAG,
              "HEAD " + OBJECT,
              get(null) + " If-Match:" + OTHER_TAG);
    }
  }

  @Nested
  @DisplayName("C05: S3's 416")
  class NotSatisfiable {

    @Test
    @DisplayName("C05: is checked against the object's length: 416 with its Content-Range")
    void isConfirmed() throws Exception {
      store.get(new GetResult.RangeNotSatisfiable()).head(object(SMALL, TAG));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=2000-3000");

      assertThat(response.statusCode()).isEqualTo(416);
      assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */1000");
      assertThat(store.requests()).containsExactly(get("bytes=2000-3000"), "HEAD " + OBJECT);
      assertThat(event().outcome()).isEqualTo(Outcome.RANGE_NOT_SATISFIABLE);
    }

    @Test
    @DisplayName("C05: an object that grew since serves the range")
    void isOvertaken() throws Exception {
      store
          .get(new GetResult.RangeNotSatisfiable())
          .head(object(LARGE, TAG))
          .get(part(LARGE, TAG, 2000, 3000));

      HttpResponse<byte[]> response = send("GET", "Range", "bytes=2000-3000");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).isEqualTo(slice(V1, 2000, 3000));
      assertThat(store.requests())
          .containsExactly(
              get("bytes=2000-3000"),
              "HEAD " + OBJECT,
              get("bytes=2000-3000") + " If-Match:" + TAG);
    }
  }

  @Nested
  @DisplayName("a body that is not what it announced")
  class Bodies {

    @Test
    @DisplayName("shorter, before anything was committed: 502, never a short 200")
    void shorterBeforeCommit() throws Exception {
      store.get(whole(SMALL, TAG).delivering(Arrays.copyOf(V1, SMALL / 2)));

      HttpResponse<byte[]> response = send("GET");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(new String(response.body(), UTF_8)).isEqualTo("Bad Gateway\n");
      assertThat(response.headers().firstValue("ETag")).isEmpty();
      assertThat(event().outcome()).isEqualTo(Outcome.UPSTREAM_FAILED);
    }

    @Test
    @DisplayName("shorter, after commit: the response is cut short before Content-Length bytes")
    void shorterAfterCommit() throws Exception {
      store.get(whole(LARGE, TAG).delivering(Arrays.copyOf(V1, LARGE / 2)));

      Raw raw = raw();

      assertThat(raw.head()).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + LARGE);
      assertThat(raw.received()).isLessThan(LARGE);
      S3RedirectEvent event = event();
      assertThat(event.outcome()).isEqualTo(Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
      assertThat(event.bytesSent()).isEqualTo(LARGE / 2);
    }

    @Test
    @DisplayName("longer: exactly Content-Length bytes are sent")
    void longer() throws Exception {
      store.get(whole(SMALL, TAG).delivering(Arrays.copyOf(V1, SMALL * 2)));

      HttpResponse<byte[]> response = send("GET");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(Arrays.copyOf(V1, SMALL));
      assertThat(response.headers().firstValue("Content-Length")).hasValue("1000");
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {

    @ParameterizedTest(name = "{0} before the response started: {1}")
    @CsvSource({
      "NOT_FOUND, 404, NOT_FOUND",
      "ACCESS_DENIED, 403, ACCESS_DENIED",
      "THROTTLED, 503, UPSTREAM_FAILED",
      "TIMEOUT, 504, UPSTREAM_FAILED",
      "UNAVAILABLE, 502, UPSTREAM_FAILED"
    })
    void ofTheStore(Failure failure, int status, Outcome outcome) throws Exception {
      store.fail(false, failure);

      HttpResponse<byte[]> response = send("GET");

      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.headers().firstValue("Retry-After"))
          .isEqualTo(status == 503 ? java.util.Optional.of("1") : java.util.Optional.empty());
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(new String(response.body(), UTF_8)).doesNotContain("scripted");
      assertThat(event().outcome()).isEqualTo(outcome);
    }

    @Test
    @DisplayName("access denied may be answered 404, to hide whether the object exists")
    void accessDeniedAsNotFound() throws Exception {
      app(S3RedirectSettings.builder().allow("media").accessDeniedStatus(404).build());
      store.fail(true, Failure.ACCESS_DENIED);

      assertThat(send("HEAD").statusCode()).isEqualTo(404);
      assertThat(event().outcome()).isEqualTo(Outcome.ACCESS_DENIED);
    }

    @ParameterizedTest(name = "a body failing with {0} before commit: {1}")
    @CsvSource({"read, 502", "timeout, 504"})
    void ofTheBodyBeforeCommit(String kind, int status) throws Exception {
      IOException failure =
          kind.equals("timeout") ? new SocketTimeoutException("Read timed out") : new IOException();
      store.get(whole(SMALL, TAG).failingAfter(100, failure));

      assertThat(send("GET").statusCode()).isEqualTo(status);
      assertThat(event().outcome()).isEqualTo(Outcome.UPSTREAM_FAILED);
    }

    @ParameterizedTest(name = "a body failing with {0} after commit is cut short")
    @CsvSource({"read", "timeout"})
    void ofTheBodyAfterCommit(String kind) throws Exception {
      IOException failure =
          kind.equals("timeout") ? new SocketTimeoutException("Read timed out") : new IOException();
      store.get(whole(LARGE, TAG).failingAfter(LARGE / 2, failure));

      Raw raw = raw();

      assertThat(raw.head()).startsWith("HTTP/1.1 200 ");
      assertThat(raw.received()).isLessThan(LARGE);
      assertThat(event().outcome()).isEqualTo(Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
    }

    @Test
    @DisplayName("skipping to a range that fails before commit: 502")
    void whileSkipping() throws Exception {
      store.get(whole(SMALL, TAG).failingAfter(5));

      assertThat(send("GET", "Range", "bytes=10-19").statusCode()).isEqualTo(502);
      assertThat(event().outcome()).isEqualTo(Outcome.UPSTREAM_FAILED);
    }
  }

  @Nested
  @DisplayName("C07: several ranges where a later part fails, after commit")
  class PartFails {

    static final String RANGES = "Range: bytes=0-299999,400000-699999,800000-999999";

    ScriptedObjectStore firstPart() {
      return store.head(object(LARGE, TAG)).get(part(LARGE, TAG, 0, 299_999));
    }

    void assertCutShort() throws Exception {
      Raw raw = raw(RANGES);
      assertThat(raw.head()).startsWith("HTTP/1.1 206 ").contains("multipart/byteranges");
      long announced =
          Long.parseLong(raw.head().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
      assertThat(raw.received()).isGreaterThan(300_000).isLessThan(announced);
      assertThat(event().outcome()).isEqualTo(Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
    }

    @Test
    @DisplayName("S3 failing on the second part cuts the response short")
    void withAFailure() throws Exception {
      firstPart().fail(false, Failure.UNAVAILABLE);
      assertCutShort();
    }

    @Test
    @DisplayName("an object changed between the parts (412) cuts it short, never splices")
    void withAChange() throws Exception {
      firstPart().get(new GetResult.PreconditionFailed());
      assertCutShort();
    }

    @Test
    @DisplayName("a second part of another version cuts it short")
    void withAnotherVersion() throws Exception {
      firstPart().get(part(LARGE, OTHER_TAG, 400_000, 699_999));
      assertCutShort();
      assertThat(store.bodies().get(1).bytesRead()).isZero();
    }

    @Test
    @DisplayName("a second part holding another range cuts it short")
    void withAnotherRange() throws Exception {
      firstPart().get(part(LARGE, TAG, 0, 99));
      assertCutShort();
    }

    @Test
    @DisplayName("a second part whose body fails cuts it short")
    void withABodyThatFails() throws Exception {
      firstPart().get(part(LARGE, TAG, 400_000, 699_999).failingAfter(1000));
      assertCutShort();
    }

    @Test
    @DisplayName("all parts as announced: every byte, in order, each body closed at its end")
    void withNone() throws Exception {
      firstPart().get(part(LARGE, TAG, 400_000, 699_999)).get(part(LARGE, TAG, 800_000, 999_999));

      HttpResponse<byte[]> response =
          send("GET", "Range", "bytes=0-299999,400000-699999,800000-999999");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(parts(response))
          .extracting(Multipart.Part::body)
          .containsExactly(
              slice(V1, 0, 299_999), slice(V1, 400_000, 699_999), slice(V1, 800_000, 999_999));
      assertThat(store.bodies())
          .extracting(ScriptedBody::release)
          .containsOnly(ScriptedBody.Release.CLOSED);
      assertThat(store.requests())
          .containsExactly(
              "HEAD " + OBJECT,
              get("bytes=0-299999") + " If-Match:" + TAG,
              get("bytes=400000-699999") + " If-Match:" + TAG,
              get("bytes=800000-999999") + " If-Match:" + TAG);
    }
  }
}
