package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.embedded.LoopbackTcpProxy;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.LogCapture;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.ScriptedAppServlet;
import dev.s3redirect.testing.StoreOptions;
import dev.s3redirect.testing.Variant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The offload path end to end: Jetty 12 hosting the filter in front of a scripted application,
 * {@link HttpClient} or raw sockets as the client, and a real S3-protocol server behind the AWS
 * SDK. Subclasses choose the server.
 */
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(120)
abstract class OffloadContract {

  static final String BUCKET = "media";
  static final String OTHER_BUCKET = "secrets";
  static final int MIB = 1024 * 1024;
  static final Map<String, Integer> SIZES =
      Map.of("empty.bin", 0, "one.bin", 1, "one-mib.bin", MIB, "fifty-mib.bin", 50 * MIB);

  private S3Backend backend;
  private S3Client admin;
  private final Variant variant;
  private CountingStore filterStore;
  private RedirectingApp app;
  private final Map<String, byte[]> objects = new java.util.HashMap<>();
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * Creates the contract for one variant.
   *
   * @param variant the engine and the write mode (the suite speaks HTTP/1.1)
   */
  OffloadContract(Variant variant) {
    this.variant = variant;
  }

  /** Starts the S3-protocol server this run uses. */
  abstract S3Backend startBackend();

  @BeforeAll
  void start() throws Exception {
    backend = startBackend();
    admin = backend.clientBuilder(backend.endpoint()).build();
    admin.createBucket(b -> b.bucket(BUCKET));
    admin.createBucket(b -> b.bucket(OTHER_BUCKET));
    Random random = new Random(42);
    for (var entry : SIZES.entrySet()) {
      byte[] bytes = new byte[entry.getValue()];
      random.nextBytes(bytes);
      objects.put(entry.getKey(), bytes);
      admin.putObject(
          b -> b.bucket(BUCKET).key(entry.getKey()).contentType("application/x-test"),
          RequestBody.fromBytes(bytes));
    }
    admin.putObject(
        b ->
            b.bucket(BUCKET)
                .key("described.txt")
                .contentType("text/plain; charset=utf-8")
                .cacheControl("max-age=60")
                .contentDisposition("attachment; filename=\"described.txt\"")
                .contentLanguage("fr"),
        RequestBody.fromString("décrit", UTF_8));
    admin.putObject(b -> b.bucket(OTHER_BUCKET).key("s.txt"), RequestBody.fromString("secret"));
    filterStore = storeFor(backend.endpoint(), StoreOptions.defaults());
    app = new RedirectingApp(filterStore, settings().build());
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (filterStore != null) {
      filterStore.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  S3RedirectSettings.Builder settings() {
    return S3RedirectSettings.builder().allow(BUCKET).writeMode(variant.writeMode());
  }

  /** A store of the variant's engine reading S3 at {@code endpoint}; the caller closes it. */
  CountingStore storeFor(URI endpoint, StoreOptions options) {
    return variant.engine().open(backend, endpoint, options);
  }

  /** An app whose filter has a store of its own, with the settings' first-byte timeout. */
  RedirectingApp appWith(S3RedirectSettings settings, StoreOptions options) throws Exception {
    CountingStore store =
        storeFor(backend.endpoint(), options.withFirstByteTimeout(settings.firstByteTimeout()));
    return new RedirectingApp(store, settings).closing(store);
  }

  static String redirectTo(String bucket, String key) {
    return redirectTo(S3Location.of(bucket, key).toHeaderValue());
  }

  static String redirectTo(String headerValue) {
    return "/app/x?redirect=" + URLEncoder.encode(headerValue, UTF_8);
  }

  HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
    return send(app, "GET", pathAndQuery);
  }

  HttpResponse<byte[]> send(RedirectingApp target, String method, String pathAndQuery)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(target.uri(pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(60))
            .build();
    return http.send(request, BodyHandlers.ofByteArray());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static void assertNoS3Internals(HttpResponse<byte[]> response) {
    String body = new String(response.body(), UTF_8);
    assertThat(body)
        .doesNotContain("NoSuch", "<Error", "RequestId", "x-amz", "AccessDenied", "SlowDown")
        .doesNotContain(BUCKET, OTHER_BUCKET, "Exception", "\tat ");
    assertThat(response.headers().map().keySet()).noneMatch(name -> name.startsWith("x-amz"));
  }

  static void assertNoRedirectHeader(HttpHeaders headers) {
    assertThat(headers.map().keySet()).noneMatch(name -> name.equalsIgnoreCase("x-s3-redirect"));
  }

  @Nested
  class FullObjects {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"empty.bin", "one.bin", "one-mib.bin", "fifty-mib.bin"})
    void comeBackByteExactWithExactLengthAndValidators(String key) throws Exception {
      byte[] expected = objects.get(key);
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, key));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().length).isEqualTo(expected.length);
      assertThat(sha256(response.body())).isEqualTo(sha256(expected));
      HttpHeaders headers = response.headers();
      assertThat(headers.firstValue("Content-Length")).hasValue(Integer.toString(expected.length));
      assertThat(headers.firstValue("Transfer-Encoding")).isEmpty();
      assertThat(headers.firstValue("Content-Type")).hasValue("application/x-test");
      assertThat(headers.firstValue("Accept-Ranges")).hasValue("bytes");
      assertThat(headers.firstValue("ETag"))
          .hasValueSatisfying(tag -> assertThat(tag).matches("\"[^\"]+\""));
      assertThat(headers.firstValue("Last-Modified"))
          .hasValueSatisfying(
              date -> {
                assertThat(date)
                    .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
                ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
              });
      assertNoRedirectHeader(headers);
      assertThat(headers.map().keySet()).noneMatch(name -> name.startsWith("x-amz"));
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() throws Exception {
      String path = redirectTo(BUCKET, "one-mib.bin");
      HttpResponse<byte[]> get = get(path);
      HttpResponse<byte[]> head = send(app, "HEAD", path);

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      for (String name :
          List.of("Content-Length", "Content-Type", "ETag", "Last-Modified", "Accept-Ranges")) {
        assertThat(head.headers().firstValue(name))
            .as(name)
            .isEqualTo(get.headers().firstValue(name))
            .isPresent();
      }
      assertNoRedirectHeader(head.headers());
    }

    @Test
    void objectMetadataFillsHeadersTheApplicationLeftUnset() throws Exception {
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, "described.txt"));

      assertThat(new String(response.body(), UTF_8)).isEqualTo("décrit");
      assertThat(response.headers().firstValue("Content-Type").map(type -> type.replace("; ", ";")))
          .hasValue("text/plain;charset=utf-8");
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=60");
      assertThat(response.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"described.txt\"");
      assertThat(response.headers().firstValue("Content-Language")).hasValue("fr");
    }

    @Test
    void applicationHeadersWinAndSurvive() throws Exception {
      HttpResponse<byte[]> response =
          get(
              redirectTo(BUCKET, "described.txt")
                  + "&contentType=application/x-mine&disposition=inline&cacheControl=no-cache"
                  + "&custom=kept&cookie=c1&contentLength=3&status=200");

      assertThat(new String(response.body(), UTF_8)).isEqualTo("décrit");
      HttpHeaders headers = response.headers();
      assertThat(headers.firstValue("Content-Type")).hasValue("application/x-mine");
      assertThat(headers.firstValue("Content-Disposition")).hasValue("inline");
      assertThat(headers.allValues("Cache-Control")).containsExactly("no-cache");
      assertThat(headers.firstValue("X-Custom")).hasValue("kept");
      assertThat(headers.allValues("Set-Cookie")).singleElement().asString().startsWith("app=c1");
      assertThat(headers.firstValue("Content-Length"))
          .hasValue(Integer.toString("décrit".getBytes(UTF_8).length));
    }

    @Test
    void keysThatNeedPercentEncodingRoundTrip() throws Exception {
      List<String> keys =
          new ArrayList<>(
              List.of(
                  "dir/a b.txt",
                  "100%.txt",
                  "a+b.txt",
                  "what?.txt",
                  "hash#tag.txt",
                  "été/日本語.txt",
                  "a=b&c;d.txt",
                  "x*y:z~1.txt"));
      if (backend.storesKeysWithEmptySegments()) {
        keys.addAll(List.of("double//slash.txt", "/leading.txt"));
      }
      for (String key : keys) {
        admin.putObject(
            b -> b.bucket(BUCKET).key(key), RequestBody.fromString("content of " + key, UTF_8));
      }
      for (String key : keys) {
        HttpResponse<byte[]> response = get(redirectTo(BUCKET, key));
        assertThat(response.statusCode()).as(key).isEqualTo(200);
        assertThat(new String(response.body(), UTF_8)).as(key).isEqualTo("content of " + key);
      }
    }

    @Test
    void bucketSlashKeyFormIsAcceptedToo() throws Exception {
      HttpResponse<byte[]> response = get(redirectTo(BUCKET + "/one.bin"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(objects.get("one.bin"));
    }

    @Test
    void aVersionIdPinsTheVersionServed() throws Exception {
      admin.putBucketVersioning(
          b ->
              b.bucket(OTHER_BUCKET)
                  .versioningConfiguration(
                      v ->
                          v.status(
                              software.amazon.awssdk.services.s3.model.BucketVersioningStatus
                                  .ENABLED)));
      String first =
          admin
              .putObject(b -> b.bucket(OTHER_BUCKET).key("v.txt"), RequestBody.fromString("first"))
              .versionId();
      admin.putObject(b -> b.bucket(OTHER_BUCKET).key("v.txt"), RequestBody.fromString("second"));
      try (RedirectingApp versioned =
          new RedirectingApp(filterStore, settings().allow(OTHER_BUCKET + "/v.txt").build())) {
        String pinned = S3Location.of(OTHER_BUCKET, "v.txt").withVersionId(first).toHeaderValue();

        assertThat(send(versioned, "GET", redirectTo(pinned)).body()).asString().isEqualTo("first");
        assertThat(send(versioned, "GET", redirectTo(OTHER_BUCKET, "v.txt")).body())
            .asString()
            .isEqualTo("second");
        assertThat(
                send(
                        versioned,
                        "GET",
                        redirectTo(
                            S3Location.of(OTHER_BUCKET, "v.txt")
                                .withVersionId("no-such-version")
                                .toHeaderValue()))
                    .statusCode())
            .isIn(404, 502);
      }
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheDownload() throws Exception {
      try (RedirectingApp noisy =
          new RedirectingApp(
              filterStore,
              settings().build(),
              event -> {
                throw new IllegalStateException("metrics down");
              })) {
        HttpResponse<byte[]> response = send(noisy, "GET", redirectTo(BUCKET, "one-mib.bin"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sha256(response.body())).isEqualTo(sha256(objects.get("one-mib.bin")));
      }
    }

    @Test
    void fullDownloadCostsExactlyOneS3Request() throws Exception {
      int before = filterStore.requests();
      assertThat(get(redirectTo(BUCKET, "one-mib.bin")).statusCode()).isEqualTo(200);
      assertThat(filterStore.requests() - before).isEqualTo(1);
    }
  }

  @Nested
  class TheHeader {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "how=set&name=X-S3-Redirect",
          "how=add&name=X-S3-Redirect",
          "how=set&name=x-s3-redirect",
          "how=add&name=X-S3-REDIRECT"
        })
    void neverReachesTheClientHoweverItWasSet(String how) throws Exception {
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, "one.bin") + "&" + how);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(objects.get("one.bin"));
      assertNoRedirectHeader(response.headers());
    }

    @ParameterizedTest(name = "writer={0}")
    @ValueSource(booleans = {false, true})
    void discardsTheApplicationBodyWrittenBeforeAndAfterIt(boolean writer) throws Exception {
      HttpResponse<byte[]> response =
          get(
              redirectTo(BUCKET, "one-mib.bin")
                  + "&buffer="
                  + (2 * MIB)
                  + "&before="
                  + MIB
                  + "&after="
                  + MIB
                  + "&flush=true&writer="
                  + writer);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().length).isEqualTo(MIB);
      assertThat(sha256(response.body())).isEqualTo(sha256(objects.get("one-mib.bin")));
    }

    @Test
    void setAfterTheApplicationCommittedItsOwnBodyCutsTheResponseShort() throws Exception {
      // 1 MiB overflows Jetty's 32 KiB buffer: the application's response is on the wire before
      // the header appears. A clean end would pass the application's bytes off as the object.
      assertThatThrownBy(() -> get(redirectTo(BUCKET, "one.bin") + "&before=" + MIB))
          .isInstanceOf(IOException.class);
      assertThat(app.awaitOutcome(Outcome.HEADER_TOO_LATE))
          .last()
          .extracting(S3RedirectEvent::outcome)
          .isEqualTo(Outcome.HEADER_TOO_LATE);
    }

    @Test
    void isIgnoredWhenTheApplicationDidNotAnswer2xx() throws Exception {
      int before = filterStore.requests();
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, "one.bin") + "&status=409");

      assertThat(response.statusCode()).isEqualTo(409);
      assertThat(response.body()).isEmpty();
      assertNoRedirectHeader(response.headers());
      assertThat(filterStore.requests()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "s3://media",
          "s3://media/",
          "http://media/one.bin",
          "s3://media/a%zz",
          "s3://media/a/../b",
          "s3://media/x?acl",
          "s3://bad_bucket!/k",
          "s3://media/a#b",
          "s3://media/a%0D%0ASet-Cookie:%20x=y",
          "s3://media/a%00b",
          "s3://media/%2E%2E/secrets/s.txt",
          "s3://media/a/%2e/b",
          "s3://media/one.bin?versionId=1&versionId=2",
          "s3://media/one.bin?versionId=%0D%0A"
        })
    void malformedIsAnApplicationErrorWithAGenericBody(String value) throws Exception {
      int before = filterStore.requests();
      HttpResponse<byte[]> response = get(redirectTo(value));

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(new String(response.body(), UTF_8)).isEqualTo("Internal Server Error\n");
      assertNoRedirectHeader(response.headers());
      assertThat(filterStore.requests()).isEqualTo(before);
    }

    @Test
    void aVersionIdInsideTheKeyIsPartOfTheKeyNeverAVersion() throws Exception {
      String smuggled = S3Location.of(BUCKET, "one.bin?versionId=null").toHeaderValue();
      assertThat(smuggled).isEqualTo("s3://media/one.bin%3FversionId%3Dnull");
      HttpResponse<byte[]> response = get(redirectTo(smuggled));

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).asString(UTF_8).isEqualTo("Not Found\n");
    }

    @Test
    void aRedirectHeaderSentByTheClientIsNeverHonoured() throws Exception {
      String secret = S3Location.of(OTHER_BUCKET, "s.txt").toHeaderValue();
      HttpRequest request =
          HttpRequest.newBuilder(app.uri("/app/passthrough?chunks=1&chunkSize=3"))
              .header("X-S3-Redirect", secret)
              .timeout(Duration.ofSeconds(20))
              .build();
      app.servlet().releaseStreaming();
      try {
        HttpResponse<byte[]> response = http.send(request, BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).asString(UTF_8).isEqualTo("aaa");
        assertNoRedirectHeader(response.headers());
      } finally {
        app.servlet().resetStreamingGate();
      }
      HttpRequest toAnObject =
          HttpRequest.newBuilder(app.uri(redirectTo(BUCKET, "one.bin")))
              .header("X-S3-Redirect", secret)
              .timeout(Duration.ofSeconds(20))
              .build();
      assertThat(http.send(toAnObject, BodyHandlers.ofByteArray()).body())
          .isEqualTo(objects.get("one.bin"));
    }

    @Test
    void nothingTheClientSendsIsEchoedInAResponseHeader() throws Exception {
      String marker = "zq7";
      HttpRequest request =
          HttpRequest.newBuilder(app.uri(redirectTo(BUCKET, "one-mib.bin")))
              .header("Range", "bytes=0-1," + marker + "<script>")
              .header("If-Range", "\"" + marker + "\"")
              .header("If-None-Match", "\"" + marker + "\", W/\"" + marker + "\"")
              .header("If-Match", "*")
              .header("X-Forwarded-Host", marker)
              .timeout(Duration.ofSeconds(20))
              .build();
      HttpResponse<byte[]> response = http.send(request, BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().map().toString()).doesNotContain(marker);
    }

    @Test
    void staysVisibleToTheApplicationItself() throws Exception {
      String value = S3Location.of(BUCKET, "one.bin").toHeaderValue();
      HttpResponse<byte[]> response = get(redirectTo(value));

      assertThat(response.headers().firstValue("X-Seen")).hasValue(value);
      assertNoRedirectHeader(response.headers());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"intHeader", "dateHeader"})
    void setAsANumberOrDateIsCapturedAsMalformedAndNeverLeaks(String how) throws Exception {
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, "one.bin") + "&how=" + how);

      assertThat(response.statusCode()).isEqualTo(500);
      assertNoRedirectHeader(response.headers());
    }

    @Test
    void addedTwiceWithDifferentValuesIsAnApplicationError() throws Exception {
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, "one.bin") + "&how=addTwice");

      assertThat(response.statusCode()).isEqualTo(500);
      assertNoRedirectHeader(response.headers());
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(strings = {"complete", "dispatch"})
    void worksForAsynchronousResponses(String mode) throws Exception {
      HttpResponse<byte[]> response = get(redirectTo(BUCKET, "one-mib.bin") + "&async=" + mode);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(sha256(response.body())).isEqualTo(sha256(objects.get("one-mib.bin")));
      assertNoRedirectHeader(response.headers());
    }
  }

  @Nested
  class ResponsesWithoutTheHeader {

    @Test
    void passThroughByteForByteAndUnbuffered() throws Exception {
      app.servlet().resetStreamingGate();
      int chunkSize = 1000;
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET /app/passthrough?chunks=3&chunkSize="
                    + chunkSize
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        // The application waits after flushing its first chunk: it must arrive while the
        // application is still running, or someone is buffering.
        String firstPart = readUntilContains(in, "a".repeat(chunkSize));
        assertThat(firstPart).startsWith("HTTP/1.1 200 ");
        app.servlet().releaseStreaming();
        String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        String whole = firstPart + rest;
        String rawBody = whole.substring(whole.indexOf("\r\n\r\n") + 4);
        boolean chunked =
            whole.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
        String body = chunked ? dechunk(rawBody) : rawBody;
        assertThat(body)
            .isEqualTo("a".repeat(chunkSize) + "b".repeat(chunkSize) + "c".repeat(chunkSize));
        String head =
            whole.substring(0, whole.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).contains("content-type: application/x-app", "x-custom: kept");
        assertThat(head).doesNotContain("etag", "accept-ranges", "x-s3-redirect");
      }
      assertThat(app.events()).noneMatch(e -> e.outcome() == null);
    }

    @Test
    void keepTheApplicationsStatusHeadersAndBody() throws Exception {
      int before = filterStore.requests();
      HttpResponse<byte[]> response =
          get(
              "/app/x?status=201&contentType=text/x-app&custom=kept&after=70000&contentLength=70000");

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/x-app");
      assertThat(response.headers().firstValue("X-Custom")).hasValue("kept");
      assertThat(response.headers().firstValue("Content-Length")).hasValue("70000");
      byte[] expected = new byte[70000];
      java.util.Arrays.fill(expected, ScriptedAppServlet.APP_BYTE);
      assertThat(response.body()).isEqualTo(expected);
      assertThat(filterStore.requests()).isEqualTo(before);
    }
  }

  @Nested
  class Refusals {

    @Test
    void missingKeyIsNotFoundWithNoS3Internals() throws Exception {
      HttpResponse<byte[]> response =
          get(
              redirectTo(BUCKET, "no/such/key.bin")
                  + "&cacheControl=max-age=86400&disposition=inline&contentType=video/mp4");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(new String(response.body(), UTF_8)).isEqualTo("Not Found\n");
      assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
      assertThat(response.headers().firstValue("Content-Disposition")).isEmpty();
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertNoS3Internals(response);
      assertNoRedirectHeader(response.headers());
    }

    @Test
    void missingKeyAnswersNotFoundToHeadToo() throws Exception {
      HttpResponse<byte[]> response = send(app, "HEAD", redirectTo(BUCKET, "no/such/key.bin"));

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).isEmpty();
    }

    @Test
    void missingBucketIsNotFound() throws Exception {
      try (RedirectingApp wide =
          new RedirectingApp(filterStore, settings().allow("nonexistent-bucket").build())) {
        HttpResponse<byte[]> response = send(wide, "GET", redirectTo("nonexistent-bucket", "k"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertNoS3Internals(response);
      }
    }

    @Test
    void bucketOutsideTheAllowListIsRefusedWithoutAskingS3() throws Exception {
      int before = filterStore.requests();
      HttpResponse<byte[]> response =
          get(
              redirectTo(OTHER_BUCKET, "s.txt")
                  + "&cacheControl=max-age=600&disposition=attachment&custom=kept");

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(new String(response.body(), UTF_8)).isEqualTo("Forbidden\n");
      assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
      assertThat(response.headers().firstValue("Content-Disposition")).isEmpty();
      assertThat(response.headers().firstValue("X-Custom")).hasValue("kept");
      assertNoS3Internals(response);
      assertThat(filterStore.requests()).isEqualTo(before);
      // The listener hears of a response after it was written: the client may see it first.
      awaitEvents(app, Outcome.REFUSED, 1);
    }

    @Test
    void keyOutsideAnAllowedPrefixIsRefusedWithoutAskingS3() throws Exception {
      try (RedirectingApp narrow =
          new RedirectingApp(
              filterStore,
              S3RedirectSettings.builder()
                  .allow(BUCKET + "/public/")
                  .writeMode(variant.writeMode())
                  .build())) {
        admin.putObject(b -> b.bucket(BUCKET).key("public/ok.txt"), RequestBody.fromString("ok"));
        int before = filterStore.requests();

        assertThat(send(narrow, "GET", redirectTo(BUCKET, "one.bin")).statusCode()).isEqualTo(403);
        assertThat(send(narrow, "GET", redirectTo(BUCKET, "public-not/x")).statusCode())
            .isEqualTo(403);
        assertThat(filterStore.requests()).isEqualTo(before);
        assertThat(send(narrow, "GET", redirectTo(BUCKET, "public/ok.txt")).body())
            .asString()
            .isEqualTo("ok");
      }
    }

    @Test
    void accessDeniedByS3IsForbiddenOrConfiguredNotFound() throws Exception {
      StoreOptions wrongKeys = StoreOptions.defaults().withMaxConnections(2).withSecretKey("wrong");
      try (RedirectingApp forbidden = appWith(settings().build(), wrongKeys);
          RedirectingApp hidden = appWith(settings().accessDeniedStatus(404).build(), wrongKeys)) {
        HttpResponse<byte[]> response = send(forbidden, "GET", redirectTo(BUCKET, "one.bin"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertNoS3Internals(response);
        assertThat(send(hidden, "GET", redirectTo(BUCKET, "one.bin")).statusCode()).isEqualTo(404);
      }
    }
  }

  @Nested
  class UpstreamFailures {

    static final String SLOW_DOWN =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message>"
            + "<RequestId>4442587FB7D0A2F9</RequestId></Error>";
    static final String INTERNAL_ERROR =
        "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message>"
            + "<RequestId>4442587FB7D0A2F9</RequestId></Error>";

    @Test
    void unreachableS3IsBadGateway() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        s3.relay.refuseConnections(); // nothing listens on its port
        HttpResponse<byte[]> response = send(s3.app, "GET", redirectTo(BUCKET, "one.bin"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("Bad Gateway\n");
        assertNoS3Internals(response);
        s3.relay.listen();
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void throttlingIsServiceUnavailableWithRetryAfter() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        s3.relay.answerWith(503, "Slow Down", "application/xml", SLOW_DOWN);
        HttpResponse<byte[]> response = send(s3.app, "GET", redirectTo(BUCKET, "one.bin"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new String(response.body(), UTF_8)).isEqualTo("Service Unavailable\n");
        assertNoS3Internals(response);
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void serverErrorIsBadGateway() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        s3.relay.answerWith(500, "Internal Server Error", "application/xml", INTERNAL_ERROR);
        HttpResponse<byte[]> response = send(s3.app, "GET", redirectTo(BUCKET, "one.bin"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("Bad Gateway\n");
        assertNoS3Internals(response);
        s3.assertHealthyAfterTheFault();
      }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "a 200 without Content-Length",
          "a 206 whose Content-Range disagrees with its Content-Length",
          "a 206 without Content-Range"
        })
    void anAnswerThatCannotBeServedHonestlyIsBadGateway(String answer) throws Exception {
      String head =
          switch (answer) {
            case "a 200 without Content-Length" ->
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: \"v1\"\r\n"
                    + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
            case "a 206 whose Content-Range disagrees with its Content-Length" ->
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/100\r\n"
                    + "Content-Length: 5\r\nETag: \"v1\"\r\nConnection: close\r\n\r\nhello";
            default ->
                "HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\nETag: \"v1\"\r\n"
                    + "Connection: close\r\n\r\nhello";
          };
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        s3.relay.answerWithRaw(head);
        HttpResponse<byte[]> response = send(s3.app, "GET", redirectTo(BUCKET, "one.bin"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("Bad Gateway\n");
        assertNoS3Internals(response);
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void noFirstByteWithinTheTimeoutIsGatewayTimeout() throws Exception {
      try (BehindRelay s3 =
          new BehindRelay(settings().firstByteTimeout(Duration.ofMillis(1500)).build())) {
        s3.relay.stall();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = send(s3.app, "GET", redirectTo(BUCKET, "one.bin"));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(new String(response.body(), UTF_8)).isEqualTo("Gateway Timeout\n");
        assertNoS3Internals(response);
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void theFirstByteTimeoutDoesNotLimitALongDownload() throws Exception {
      try (RedirectingApp strict =
          appWith(
              settings().firstByteTimeout(Duration.ofMillis(500)).build(),
              StoreOptions.defaults())) {
        HttpRequest request =
            HttpRequest.newBuilder(strict.uri(redirectTo(BUCKET, "fifty-mib.bin"))).build();
        HttpResponse<InputStream> response = http.send(request, BodyHandlers.ofInputStream());
        long start = System.nanoTime();
        byte[] body;
        try (InputStream in = response.body()) {
          ByteArrayOutputStream copy = new ByteArrayOutputStream();
          byte[] buffer = new byte[64 * 1024];
          int n;
          long sinceLastPause = 0;
          while ((n = in.read(buffer)) >= 0) {
            copy.write(buffer, 0, n);
            sinceLastPause += n;
            if (sinceLastPause >= MIB) {
              sinceLastPause = 0;
              Thread.sleep(40); // 50 × 40 ms: four times the first-byte timeout
            }
          }
          body = copy.toByteArray();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isGreaterThan(Duration.ofMillis(1000));
        assertThat(sha256(body)).isEqualTo(sha256(objects.get("fifty-mib.bin")));
      }
    }

    @Test
    void failureInTheMiddleOfTheBodyTruncatesTheClientsResponse() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        RedirectingApp failing = s3.app;
        s3.relay.cutResponsesAfter(5L * MIB);
        assertThat(truncatedDownload(failing, "fifty-mib.bin", 50L * MIB)).isLessThan(50L * MIB);
        assertThat(failing.awaitOutcome(Outcome.UPSTREAM_FAILED_AFTER_COMMIT))
            .last()
            .extracting(S3RedirectEvent::outcome)
            .isEqualTo(Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void aFailureBeforeAnyByteReachedTheClientIsBadGatewayNotATruncation() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        // S3's response headers and about 1 KiB of body, then a reset: the container still holds
        // those bytes in its buffer, so the filter can take them back and answer honestly.
        s3.relay.cutResponsesAfter(2048);
        HttpResponse<byte[]> response = send(s3.app, "GET", redirectTo(BUCKET, "one-mib.bin"));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("Bad Gateway\n");
        assertThat(response.headers().firstValue("ETag")).isEmpty();
        assertNoS3Internals(response);
        awaitEvents(s3.app, Outcome.UPSTREAM_FAILED, 1);
        assertThat(s3.app.events())
            .noneMatch(e -> e.outcome() == Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void aStallInTheMiddleOfTheBodyEndsAtTheIdleReadTimeoutAndTruncates() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        s3.relay.stallResponsesAfter(5L * MIB);
        long start = System.nanoTime();
        long received = truncatedDownload(s3.app, "fifty-mib.bin", 50L * MIB);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(received).isGreaterThan(MIB).isLessThan(50L * MIB);
        // The client's idle-read timeout is 2 s: the filter gives up then, not at the test's 20 s.
        assertThat(elapsed).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
        awaitEvents(s3.app, Outcome.UPSTREAM_FAILED_AFTER_COMMIT, 1);
        s3.assertHealthyAfterTheFault();
      }
    }
  }

  @Nested
  class ClientDisconnects {

    @Test
    void abortTheS3StreamAndLeaveThePoolHealthy() throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build())) {
        RedirectingApp small = s3.app;
        int clients = 20;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
          List<Future<Long>> readers = new ArrayList<>();
          for (int i = 0; i < clients; i++) {
            readers.add(pool.submit(() -> readThenHangUp(small, "fifty-mib.bin", MIB)));
          }
          for (Future<Long> reader : readers) {
            assertThat(reader.get()).isGreaterThanOrEqualTo(MIB);
          }
        } finally {
          pool.shutdownNow();
        }
        awaitEvents(small, Outcome.CLIENT_ABORTED, clients);

        // Drained connections would have moved 20 × 50 MiB; aborted ones stop at what the socket
        // buffers held when the client left.
        assertThat(s3.relay.bytesFromServer()).isLessThan(clients * 25L * MIB);
        byte[] expected = objects.get("fifty-mib.bin");
        HttpResponse<byte[]> full =
            assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> send(small, "GET", redirectTo(BUCKET, "fifty-mib.bin")));
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(sha256(full.body())).isEqualTo(sha256(expected));
      }
    }
  }

  @Nested
  class ClientAbuse {

    @Test
    void twoHundredClientsHangingUpAtRandomPointsLeaveNothingBehind() throws Exception {
      int clients = 200;
      long objectLength = 50L * MIB;
      try (BehindRelay s3 = new BehindRelay(settings().build());
          LogCapture logs = LogCapture.ofTheFilter()) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
          // A first round lets the container's thread pool grow to what 8 clients need.
          hangUpAtRandomPoints(s3.app, pool, 16, new Random(1));
          int threadsBefore = Thread.activeCount();
          long fromS3Before = s3.relay.bytesFromServer();

          long read = hangUpAtRandomPoints(s3.app, pool, clients, new Random(2026));

          awaitOutcomes(s3.app, 16 + clients);
          // Draining would have moved 200 × 50 MiB; aborting stops each stream at what the
          // client read plus what the socket buffers between S3 and the client held.
          long fromS3 = s3.relay.bytesFromServer() - fromS3Before;
          assertThat(fromS3).isLessThan(read + clients * 8L * MIB);
          assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 4);
          assertThat(logs.atOrAbove(Level.INFO)).isEmpty();
        } finally {
          pool.shutdownNow();
        }
        HttpResponse<byte[]> full =
            assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> send(s3.app, "GET", redirectTo(BUCKET, "fifty-mib.bin")));
        assertThat(sha256(full.body())).isEqualTo(sha256(objects.get("fifty-mib.bin")));
        assertThat(objectLength).isEqualTo(objects.get("fifty-mib.bin").length);
        s3.assertHealthyAfterTheFault();
      }
    }

    @Test
    void aClientReadingOneBytePerSecondHoldsOnlyBuffersAndIsCutOffByTheContainer()
        throws Exception {
      try (BehindRelay s3 = new BehindRelay(settings().build(), Duration.ofSeconds(2));
          Socket socket = new Socket()) {
        socket.setReceiveBufferSize(4096);
        socket.connect(
            new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), s3.app.port()));
        socket.setSoTimeout(1_000);
        socket
            .getOutputStream()
            .write(
                ("GET "
                        + redirectTo(BUCKET, "fifty-mib.bin")
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(30).toNanos();
        long read = 0;
        while (System.nanoTime() < deadline
            && s3.app.events().stream().noneMatch(e -> e.outcome() == Outcome.CLIENT_ABORTED)) {
          try {
            if (in.read() < 0) {
              break;
            }
            read++;
          } catch (java.net.SocketTimeoutException nothingYet) {
            continue;
          } catch (java.net.SocketException reset) {
            break;
          }
          Thread.sleep(1_000);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        awaitEvents(s3.app, Outcome.CLIENT_ABORTED, 1);
        // Jetty's idle timeout (2 s) ends the blocked write; the client read a few bytes at most.
        assertThat(elapsed).isLessThan(Duration.ofSeconds(20));
        assertThat(read).isLessThan(30);
        // What S3 sent is bounded by buffers (the filter's 64 KiB, the SDK's, the sockets'),
        // not by the object: nothing proportional to the object was held.
        assertThat(s3.relay.bytesFromServer()).isLessThan(16L * MIB);
        s3.assertHealthyAfterTheFault();
      }
    }
  }

  /** Starts {@code clients} downloads that each hang up at a random point; returns bytes read. */
  private static long hangUpAtRandomPoints(
      RedirectingApp target, ExecutorService pool, int clients, Random random) throws Exception {
    List<Future<Long>> readers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int point = random.nextInt(50 * MIB);
      readers.add(pool.submit(() -> readThenHangUp(target, "fifty-mib.bin", point)));
    }
    long read = 0;
    for (Future<Long> reader : readers) {
      read += reader.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    return read;
  }

  /** Waits until the filter reported {@code count} finished downloads, served or aborted. */
  private static void awaitOutcomes(RedirectingApp target, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (target.events().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " events, got " + target.events().size());
      }
      Thread.sleep(20);
    }
    // A client hanging up near the end may find every byte already in the socket buffers, so a
    // run may or may not contain SERVED; nothing else is allowed.
    assertThat(target.events())
        .extracting(S3RedirectEvent::outcome)
        .isSubsetOf(Outcome.CLIENT_ABORTED, Outcome.SERVED)
        .contains(Outcome.CLIENT_ABORTED);
  }

  /**
   * The filter reading S3 through a fault-injecting relay, with an SDK pool of 2 connections, a 2 s
   * idle-read timeout and a 3 s wait for a pooled connection, so that a leaked connection shows as
   * a failed request rather than a slow one.
   */
  final class BehindRelay implements AutoCloseable {
    final LoopbackTcpProxy relay;
    final CountingStore store;
    final RedirectingApp app;
    private final int idleThreads;

    BehindRelay(S3RedirectSettings settings) throws Exception {
      this(settings, Duration.ofSeconds(30));
    }

    BehindRelay(S3RedirectSettings settings, Duration containerIdleTimeout) throws Exception {
      relay = new LoopbackTcpProxy(backend.endpoint());
      store =
          storeFor(
              relay.endpoint(),
              StoreOptions.defaults()
                  .withMaxConnections(2)
                  .withAcquisitionTimeout(Duration.ofSeconds(3))
                  .withIdleReadTimeout(Duration.ofSeconds(2))
                  .withFirstByteTimeout(settings.firstByteTimeout()));
      app = new RedirectingApp(store, settings, event -> {}, containerIdleTimeout);
      idleThreads = app.busyThreads();
    }

    /**
     * Proves the fault left nothing behind: with the relay faithful again, 20 requests through the
     * pool of 2 succeed promptly and byte-exact, and every container thread is released.
     */
    void assertHealthyAfterTheFault() throws Exception {
      relay.relay();
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            for (int i = 0; i < 20; i++) {
              HttpResponse<byte[]> response = send(app, "GET", redirectTo(BUCKET, "one-mib.bin"));
              assertThat(response.statusCode()).as("request %d after the fault", i).isEqualTo(200);
              assertThat(sha256(response.body())).isEqualTo(sha256(objects.get("one-mib.bin")));
            }
          });
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (app.busyThreads() > idleThreads) {
        assertThat(System.nanoTime()).as("a container thread stays blocked").isLessThan(deadline);
        Thread.sleep(20);
      }
    }

    @Override
    public void close() throws IOException {
      app.close();
      store.close();
      relay.close();
    }
  }

  /**
   * Downloads over a raw socket, checks the status line and the announced length, and returns the
   * body bytes received before the connection ended.
   */
  private static long truncatedDownload(RedirectingApp target, String key, long length)
      throws IOException {
    try (Socket socket = RawHttp.get(target.port(), redirectTo(BUCKET, key))) {
      InputStream in = socket.getInputStream();
      assertThat(RawHttp.readHead(in))
          .startsWith("HTTP/1.1 200 ")
          .contains("Content-Length: " + length);
      return RawHttp.countToTheEnd(in);
    }
  }

  private static long readThenHangUp(RedirectingApp target, String key, int bytes)
      throws IOException {
    try (Socket socket = RawHttp.get(target.port(), redirectTo(BUCKET, key))) {
      return RawHttp.readThenReset(socket, bytes);
    }
  }

  private static void awaitEvents(RedirectingApp target, Outcome outcome, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (target.events().stream().filter(e -> e.outcome() == outcome).count() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + count + " " + outcome + " events, got " + target.events());
      }
      Thread.sleep(20);
    }
  }

  static String readUntilContains(InputStream in, String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(
            "stream ended before "
                + marker.length()
                + "-character marker; got: "
                + seen.toString(StandardCharsets.ISO_8859_1));
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.ISO_8859_1);
  }

  static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
