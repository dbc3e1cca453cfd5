package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.internal.http.HttpDates;
import dev.s3redirect.store.CustomerKey;
import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.Multipart;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.StoreOptions;
import dev.s3redirect.testing.Variant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.utils.Md5Utils;

/**
 * The RFC 9110 checklist ({@code ../shared/RFC9110-CHECKLIST.md}) end to end: Jetty 12 hosting the
 * filter, {@link HttpClient} or a raw socket as the client, and a real S3-protocol server behind
 * the AWS SDK. Every test names the checklist items it proves, checks exact bytes, and where the
 * strategy promises it, the number of S3 requests. Subclasses choose the server.
 */
@TestInstance(Lifecycle.PER_CLASS)
@Timeout(120)
abstract class HttpSemanticsContract {

  static final String BUCKET = "ranges";
  static final String OBJECT = "object.bin";
  static final int LENGTH = 100_000;
  static final String DESCRIBED = "described.txt";
  static final String ENCODED = "encoded.txt.gz";
  static final String EMPTY = "empty.bin";
  static final String ODD_KEY = "dir/été a+b%#?.bin";
  static final String EXPIRES = "Tue, 01 Jan 2030 00:00:00 GMT";

  private S3Backend backend;
  private S3Client admin;
  private final Variant variant;
  private CountingStore store;
  private RedirectingApp app;
  private final Map<String, byte[]> objects = new HashMap<>();
  private final HttpClient http;

  /**
   * Creates the contract for one variant.
   *
   * @param variant the engine, the write mode and the client's HTTP version
   */
  HttpSemanticsContract(Variant variant) {
    this.variant = variant;
    this.http =
        HttpClient.newBuilder()
            .version(variant.protocol())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  S3RedirectSettings.Builder settings() {
    return S3RedirectSettings.builder().allow(BUCKET).writeMode(variant.writeMode());
  }

  /** Starts the S3-protocol server this run uses. */
  abstract S3Backend startBackend();

  /**
   * The customer key (SSE-C) every object of the run is stored with and the filter reads with, or
   * {@code null} for objects stored without one.
   */
  byte[] customerKey() {
    return null;
  }

  /** The options of every store the run opens: the defaults, with the customer key if any. */
  private StoreOptions storeOptions() {
    byte[] key = customerKey();
    if (key == null) {
      return StoreOptions.defaults();
    }
    CustomerKey customer = CustomerKey.aes256(key);
    return StoreOptions.defaults().withCustomerKeys(location -> Optional.of(customer));
  }

  /** An admin client that stores every object with the run's customer key, if any. */
  private S3Client adminClient() {
    var builder = backend.clientBuilder(backend.endpoint());
    byte[] key = customerKey();
    if (key != null) {
      builder.overrideConfiguration(o -> o.addExecutionInterceptor(new StoresWithKey(key)));
    }
    return builder.build();
  }

  /** Adds the SSE-C headers to every PutObject of the admin client. */
  private record StoresWithKey(byte[] key) implements ExecutionInterceptor {
    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutObjectRequest put) {
        return put.toBuilder()
            .sseCustomerAlgorithm("AES256")
            .sseCustomerKey(Base64.getEncoder().encodeToString(key))
            .sseCustomerKeyMD5(Md5Utils.md5AsBase64(key))
            .build();
      }
      return context.request();
    }
  }

  @BeforeAll
  void start() throws Exception {
    backend = startBackend();
    admin = adminClient();
    try {
      admin.createBucket(b -> b.bucket(BUCKET));
    } catch (BucketAlreadyOwnedByYouException sharedServer) {
      // A server shared by several runs: each run writes every object it reads.
    }
    byte[] random = new byte[LENGTH];
    new Random(7).nextBytes(random);
    put(OBJECT, random, "application/x-test", null);
    put(ODD_KEY, Arrays.copyOf(random, 1000), "application/x-test", null);
    put(EMPTY, new byte[0], "application/x-test", null);
    put(
        ENCODED,
        gzip(java.util.Base64.getEncoder().encodeToString(Arrays.copyOf(random, 3000))),
        "text/plain",
        "gzip");
    byte[] described = "0123456789abcdefghij".getBytes(UTF_8);
    objects.put(DESCRIBED, described);
    admin.putObject(
        b ->
            b.bucket(BUCKET)
                .key(DESCRIBED)
                .contentType("text/plain")
                .cacheControl("max-age=60")
                .expires(Instant.parse("2030-01-01T00:00:00Z")),
        RequestBody.fromBytes(described));
    store = variant.engine().open(backend, backend.endpoint(), storeOptions());
    app = new RedirectingApp(store, settings().build());
  }

  @Test
  @DisplayName("the suite's client speaks the variant's HTTP version")
  void speaksTheVariantsProtocol() throws Exception {
    assertThat(send("GET", DESCRIBED).version()).isEqualTo(variant.protocol());
  }

  @AfterAll
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {app, store, admin, backend}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // Closing the rest matters more.
      }
    }
  }

  private void put(String key, byte[] bytes, String contentType, String contentEncoding) {
    objects.put(key, bytes);
    admin.putObject(
        b -> b.bucket(BUCKET).key(key).contentType(contentType).contentEncoding(contentEncoding),
        RequestBody.fromBytes(bytes));
  }

  private static byte[] gzip(String text) {
    var bytes = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  static String path(String key, String appParameters) {
    return "/app/x?redirect="
        + URLEncoder.encode(S3Location.of(BUCKET, key).toHeaderValue(), UTF_8)
        + (appParameters.isEmpty() ? "" : "&" + appParameters);
  }

  HttpResponse<byte[]> send(String method, String key, String... headers) throws Exception {
    return sendTo(app, method, path(key, ""), headers);
  }

  HttpResponse<byte[]> sendTo(
      RedirectingApp target, String method, String pathAndQuery, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.uri(pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), BodyHandlers.ofByteArray());
  }

  /**
   * A response and the S3 requests it took.
   *
   * @param response the response
   * @param s3Requests the S3 requests the filter sent for it
   */
  record Counted(HttpResponse<byte[]> response, int s3Requests) {}

  Counted counted(String method, String key, String... headers) throws Exception {
    return countedTo(app, method, path(key, ""), headers);
  }

  Counted countedTo(RedirectingApp target, String method, String pathAndQuery, String... headers)
      throws Exception {
    int before = store.requests();
    HttpResponse<byte[]> response = sendTo(target, method, pathAndQuery, headers);
    return new Counted(response, store.requests() - before);
  }

  String eTag(String key) throws Exception {
    return send("HEAD", key).headers().firstValue("ETag").orElseThrow();
  }

  String lastModified(String key) throws Exception {
    return send("HEAD", key).headers().firstValue("Last-Modified").orElseThrow();
  }

  byte[] slice(String key, long first, long last) {
    return Arrays.copyOfRange(objects.get(key), (int) first, (int) last + 1);
  }

  static void assertFull(HttpResponse<byte[]> response, byte[] expected) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(expected);
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(expected.length));
    assertThat(response.headers().firstValue("Content-Range")).isEmpty();
    assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
  }

  void assertPartial(HttpResponse<byte[]> response, String key, long first, long last) {
    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.headers().firstValue("Content-Range"))
        .hasValue("bytes " + first + "-" + last + "/" + objects.get(key).length);
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Long.toString(last - first + 1));
    assertThat(response.headers().firstValue("Content-Type")).isPresent();
    assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(response.body()).isEqualTo(slice(key, first, last));
  }

  static void assertNotSatisfiable(HttpResponse<byte[]> response, long length) {
    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */" + length);
    assertThat(new String(response.body(), UTF_8)).isEqualTo("Range Not Satisfiable\n");
  }

  @Nested
  @DisplayName("Ranges (RFC 9110 §14)")
  class Ranges {

    @Test
    @DisplayName("C01/C20: HEAD ignores Range and answers with the headers of a plain GET")
    void headIgnoresRange() throws Exception {
      HttpResponse<byte[]> get = send("GET", OBJECT);
      Counted head = counted("HEAD", OBJECT, "Range", "bytes=0-9");

      assertThat(head.response().statusCode()).isEqualTo(200);
      assertThat(head.response().body()).isEmpty();
      assertThat(head.response().headers().firstValue("Content-Range")).isEmpty();
      for (String name : List.of("Content-Length", "Content-Type", "ETag", "Last-Modified")) {
        assertThat(head.response().headers().firstValue(name))
            .as(name)
            .isEqualTo(get.headers().firstValue(name))
            .isPresent();
      }
      assertThat(head.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C01: a method other than GET ignores Range")
    void postIgnoresRange() throws Exception {
      assertFull(send("POST", OBJECT, "Range", "bytes=0-9"), objects.get(OBJECT));
    }

    @ParameterizedTest(name = "C02: ''{0}'' is served as a range")
    @ValueSource(strings = {"Bytes=0-5", "BYTES=0-5", "bytes=0-5"})
    void unitNameIsCaseInsensitive(String range) throws Exception {
      assertPartial(send("GET", OBJECT, "Range", range), OBJECT, 0, 5);
    }

    @ParameterizedTest(name = "C02/C03: ''{0}'' is ignored: 200 with the whole object")
    @ValueSource(
        strings = {
          "items=0-5",
          "bytes=abc",
          "bytes=5-2",
          "bytes=",
          "bytes=--1",
          "bytes=1-2-3",
          "bytes=0-1,abc",
          "bytes 0-5",
          "bytes=-",
          "bytes=0x10-20",
          "bytes=+1-2",
        })
    void unknownUnitsAndMalformedSetsAreIgnored(String range) throws Exception {
      assertFull(send("GET", OBJECT, "Range", range), objects.get(OBJECT));
    }

    @Test
    @DisplayName("C04: numbers beyond a long clamp to the end and never fail")
    void hugeNumbersClamp() throws Exception {
      assertPartial(
          send("GET", OBJECT, "Range", "bytes=99990-99999999999999999999999999"),
          OBJECT,
          99_990,
          LENGTH - 1);
      assertPartial(
          send("GET", OBJECT, "Range", "bytes=99990-9223372036854775806"),
          OBJECT,
          99_990,
          LENGTH - 1);
      assertPartial(
          send("GET", OBJECT, "Range", "bytes=-99999999999999999999999"), OBJECT, 0, LENGTH - 1);
      assertNotSatisfiable(send("GET", OBJECT, "Range", "bytes=99999999999999999999999-"), LENGTH);
    }

    @ParameterizedTest(name = "C05: ''{0}'' is unsatisfiable: 416")
    @ValueSource(strings = {"bytes=100000-", "bytes=100000-100001", "bytes=-0", "bytes=200000-,-0"})
    void rangesBeyondTheObjectAreNotSatisfiable(String range) throws Exception {
      assertNotSatisfiable(send("GET", OBJECT, "Range", range), LENGTH);
    }

    @Test
    @DisplayName("C05: an empty object has no satisfiable first position; a suffix sends it whole")
    void emptyObjectRanges() throws Exception {
      assertNotSatisfiable(send("GET", EMPTY, "Range", "bytes=0-"), 0);
      assertNotSatisfiable(send("GET", EMPTY, "Range", "bytes=0-0,-0"), 0);
      assertFull(send("GET", EMPTY, "Range", "bytes=-5"), new byte[0]);
      assertFull(send("GET", EMPTY), new byte[0]);
    }

    @Test
    @DisplayName("C05/C06: unsatisfiable members of a set are dropped")
    void unsatisfiableMembersAreDropped() throws Exception {
      assertPartial(send("GET", OBJECT, "Range", "bytes=500000-600000, 10-19"), OBJECT, 10, 19);
    }

    @ParameterizedTest(name = "C06: ''{0}'' is bytes {1}-{2}")
    @CsvSource({
      "bytes=0-0,             0,     0",
      "bytes=10-19,           10,    19",
      "bytes=99999-,          99999, 99999",
      "bytes=-1,              99999, 99999",
      "bytes=-250,            99750, 99999",
      "bytes=0-,              0,     99999",
      "bytes=0-99999,         0,     99999",
      "bytes=-100000,         0,     99999",
      "'bytes= 5-9 ',         5,     9",
      "'bytes=, 5-9,',        5,     9",
    })
    void singleRangeIsPartialContentWithExactBytes(String range, long first, long last)
        throws Exception {
      Counted response = counted("GET", OBJECT, "Range", range);

      assertPartial(response.response(), OBJECT, first, last);
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C06: a range of a key that needs percent-encoding")
    void rangeOfAnOddKey() throws Exception {
      assertPartial(send("GET", ODD_KEY, "Range", "bytes=100-199"), ODD_KEY, 100, 199);
    }

    @Test
    @DisplayName("C07/C21: two ranges are multipart/byteranges with exact parts and length")
    void severalRangesAreMultipart() throws Exception {
      Counted response = counted("GET", OBJECT, "Range", "bytes=0-99,-100");

      assertThat(response.response().statusCode()).isEqualTo(206);
      var headers = response.response().headers();
      assertThat(headers.firstValue("Content-Range")).isEmpty();
      assertThat(headers.firstValue("Content-Length"))
          .hasValue(Integer.toString(response.response().body().length));
      assertThat(headers.firstValue("ETag")).isPresent();
      assertThat(headers.firstValue("Accept-Ranges")).hasValue("bytes");
      String contentType = headers.firstValue("Content-Type").orElseThrow();
      List<Multipart.Part> parts = Multipart.parse(contentType, response.response().body());
      assertThat(parts).hasSize(2);
      assertThat(parts.get(0).headers())
          .containsEntry("content-type", "application/x-test")
          .containsEntry("content-range", "bytes 0-99/100000");
      assertThat(parts.get(0).body()).isEqualTo(slice(OBJECT, 0, 99));
      assertThat(parts.get(1).headers()).containsEntry("content-range", "bytes 99900-99999/100000");
      assertThat(parts.get(1).body()).isEqualTo(slice(OBJECT, 99_900, 99_999));
      // HeadObject, then one pinned GetObject per part.
      assertThat(response.s3Requests()).isEqualTo(3);
    }

    @Test
    @DisplayName("C07: the boundary is random and appears nowhere in the parts")
    void boundaryIsUnguessable() throws Exception {
      HttpResponse<byte[]> first = send("GET", OBJECT, "Range", "bytes=0-999,5000-5999");
      HttpResponse<byte[]> second = send("GET", OBJECT, "Range", "bytes=0-999,5000-5999");

      String boundary =
          Multipart.boundary(first.headers().firstValue("Content-Type").orElseThrow());
      assertThat(boundary).matches("[0-9a-f]{32}");
      assertThat(Multipart.boundary(second.headers().firstValue("Content-Type").orElseThrow()))
          .isNotEqualTo(boundary);
      for (Multipart.Part part :
          Multipart.parse(first.headers().firstValue("Content-Type").orElseThrow(), first.body())) {
        assertThat(new String(part.body(), StandardCharsets.ISO_8859_1)).doesNotContain(boundary);
      }
    }

    @Test
    @DisplayName("C07: the application's Content-Type labels every part")
    void partsCarryTheResponsesContentType() throws Exception {
      HttpResponse<byte[]> response =
          sendTo(app, "GET", path(OBJECT, "contentType=video/mp4"), "Range", "bytes=1-2,1000-1001");
      for (Multipart.Part part :
          Multipart.parse(
              response.headers().firstValue("Content-Type").orElseThrow(), response.body())) {
        assertThat(part.headers()).containsEntry("content-type", "video/mp4");
      }
    }

    @Test
    @DisplayName("C08: overlapping and adjacent ranges are coalesced into one")
    void overlappingRangesAreCoalesced() throws Exception {
      assertPartial(send("GET", OBJECT, "Range", "bytes=0-10,5-20,15-30,31-40"), OBJECT, 0, 40);
      assertPartial(send("GET", OBJECT, "Range", "bytes=500-599,0-,-3"), OBJECT, 0, LENGTH - 1);
    }

    @Test
    @DisplayName("C08: five thousand tiny ranges get the whole object, at one S3 request")
    void thousandsOfTinyRangesGetTheWholeObject() throws Exception {
      StringBuilder range = new StringBuilder("bytes=0-0");
      for (int i = 1; i < 5000; i++) {
        range.append(',').append(i * 19).append('-').append(i * 19);
      }
      Counted response = counted("GET", OBJECT, "Range", range.toString());

      assertFull(response.response(), objects.get(OBJECT));
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C08: a thousand overlapping ranges within the limit coalesce into one part")
    void overlappingRangesWithinAHighLimitCoalesce() throws Exception {
      StringBuilder range = new StringBuilder("bytes=0-100");
      for (int i = 1; i < 1000; i++) {
        range.append(',').append(i).append('-').append(i + 100);
      }
      try (RedirectingApp permissive =
          new RedirectingApp(store, settings().maxRanges(1000).build())) {
        int before = store.requests();
        HttpResponse<byte[]> response =
            sendTo(permissive, "GET", path(OBJECT, ""), "Range", range.toString());

        assertPartial(response, OBJECT, 0, 1099);
        // HeadObject for the set, then one GetObject for the single range it came to.
        assertThat(store.requests() - before).isEqualTo(2);
      }
    }

    @Test
    @DisplayName("C08: more ranges than the limit get the whole object, at one S3 request")
    void tooManyRangesGetTheWholeObject() throws Exception {
      StringBuilder range = new StringBuilder("bytes=0-0");
      for (int i = 1; i <= S3RedirectSettings.DEFAULT_MAX_RANGES; i++) {
        range.append(',').append(i * 1000).append('-').append(i * 1000);
      }
      Counted response = counted("GET", OBJECT, "Range", range.toString());

      assertFull(response.response(), objects.get(OBJECT));
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C08: many small nearby ranges are coalesced, never amplified")
    void smallNearbyRangesAreCoalesced() throws Exception {
      assertPartial(
          send("GET", DESCRIBED, "Range", "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14"),
          DESCRIBED,
          0,
          14);
    }

    @Test
    @DisplayName("C08: ranges whose multipart answer would outweigh the object get the object")
    void multipartNeverOutweighsTheObject() throws Exception {
      // Three 250-byte ranges of a 1000-byte object, too far apart to coalesce: with their part
      // headers they would take more bytes than the whole object.
      assertFull(
          send("GET", ODD_KEY, "Range", "bytes=0-249,350-599,700-949"), objects.get(ODD_KEY));
      HttpResponse<byte[]> smaller = send("GET", ODD_KEY, "Range", "bytes=0-99,350-449");
      assertThat(smaller.statusCode()).isEqualTo(206);
      assertThat(smaller.body().length).isLessThan(1000);
    }

    @Test
    @DisplayName("C08: the S3 requests of a multipart answer are bounded by the range limit")
    void multipartS3RequestsAreBounded() throws Exception {
      StringBuilder range = new StringBuilder("bytes=0-0");
      for (int i = 1; i < S3RedirectSettings.DEFAULT_MAX_RANGES; i++) {
        range.append(',').append(i * 1000).append('-').append(i * 1000 + 99);
      }
      Counted response = counted("GET", OBJECT, "Range", range.toString());

      assertThat(response.response().statusCode()).isEqualTo(206);
      assertThat(
              Multipart.parse(
                  response.response().headers().firstValue("Content-Type").orElseThrow(),
                  response.response().body()))
          .hasSize(S3RedirectSettings.DEFAULT_MAX_RANGES);
      assertThat(response.s3Requests()).isEqualTo(S3RedirectSettings.DEFAULT_MAX_RANGES + 1);
    }

    @Test
    @DisplayName("C09: ranges of an encoded object count encoded bytes and send the encoding")
    void rangesOfAnEncodedObject() throws Exception {
      HttpResponse<byte[]> response = send("GET", ENCODED, "Range", "bytes=0-9");

      assertPartial(response, ENCODED, 0, 9);
      assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(response.body()[0] & 0xFF).isEqualTo(0x1F); // the gzip magic, not plain text
      assertThat(send("HEAD", ENCODED).headers().firstValue("Content-Encoding"))
          .as("HEAD")
          .hasValue("gzip");
      HttpResponse<byte[]> several = send("GET", ENCODED, "Range", "bytes=0-9,100-109");
      assertFull(several, objects.get(ENCODED));
      assertThat(several.headers().firstValue("Content-Encoding")).hasValue("gzip");
    }

    @Test
    @DisplayName("C19: 206 carries ETag, Last-Modified, Cache-Control, Expires and Vary")
    void partialContentCarriesTheHeadersOf200() throws Exception {
      String appCaching = "vary=Accept-Encoding";
      HttpResponse<byte[]> full = sendTo(app, "GET", path(DESCRIBED, appCaching));
      HttpResponse<byte[]> partial =
          sendTo(app, "GET", path(DESCRIBED, appCaching), "Range", "bytes=2-5");

      assertPartial(partial, DESCRIBED, 2, 5);
      for (String name : List.of("ETag", "Last-Modified", "Cache-Control", "Expires", "Vary")) {
        assertThat(partial.headers().firstValue(name))
            .as(name)
            .isPresent()
            .isEqualTo(full.headers().firstValue(name));
      }
      assertThat(partial.headers().firstValue("Cache-Control")).hasValue("max-age=60");
    }

    @Test
    @DisplayName("C21: Content-Range appears only on 206 and 416; ETags are quoted")
    void contentRangeOnlyOnPartialAndUnsatisfiable() throws Exception {
      HttpResponse<byte[]> full = send("GET", OBJECT);
      assertThat(full.headers().firstValue("Content-Range")).isEmpty();
      assertThat(full.headers().firstValue("ETag").orElseThrow()).matches("\"[^\"]+\"");
      HttpResponse<byte[]> missing = send("GET", "no-such-key", "Range", "bytes=0-1");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Range")).isEmpty();
    }

    @Test
    @DisplayName("C22: Last-Modified is an IMF-fixdate in GMT on 200, 206, HEAD and 304")
    void lastModifiedIsAnImfFixdate() throws Exception {
      String imfFixdate =
          "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
              + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
              + "[0-9]{2}:[0-9]{2}:[0-9]{2} GMT";
      String modified = lastModified(OBJECT);
      List<HttpResponse<byte[]>> answers =
          List.of(
              send("GET", OBJECT),
              send("GET", OBJECT, "Range", "bytes=0-9"),
              send("HEAD", OBJECT),
              send("GET", OBJECT, "If-Modified-Since", modified));
      assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 206, 200, 304);
      for (HttpResponse<byte[]> answer : answers) {
        assertThat(answer.headers().firstValue("Last-Modified")).hasValue(modified);
      }
      assertThat(modified).matches(imfFixdate);
    }
  }

  @Nested
  @DisplayName("Preconditions (RFC 9110 §13)")
  class Preconditions {

    @Test
    @DisplayName("C11: If-Match with the current tag passes, at one S3 request")
    void ifMatchCurrentTag() throws Exception {
      String tag = eTag(OBJECT);
      Counted response = counted("GET", OBJECT, "If-Match", tag);

      assertFull(response.response(), objects.get(OBJECT));
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C11: If-Match with another tag is 412, at one S3 request")
    void ifMatchOtherTag() throws Exception {
      Counted response = counted("GET", OBJECT, "If-Match", "\"other\"");

      assertThat(response.response().statusCode()).isEqualTo(412);
      assertThat(new String(response.response().body(), UTF_8)).isEqualTo("Precondition Failed\n");
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C11: If-Match compares strongly, finds the tag in a list, and * holds")
    void ifMatchVariants() throws Exception {
      String tag = eTag(OBJECT);
      assertThat(send("GET", OBJECT, "If-Match", "W/" + tag).statusCode()).isEqualTo(412);
      assertFull(send("GET", OBJECT, "If-Match", "\"a\", " + tag), objects.get(OBJECT));
      assertFull(send("GET", OBJECT, "If-Match", "*"), objects.get(OBJECT));
      assertThat(send("HEAD", OBJECT, "If-Match", "\"other\"").statusCode()).isEqualTo(412);
    }

    @Test
    @DisplayName("C12: If-None-Match with the current tag is 304 for GET and HEAD")
    void ifNoneMatchCurrentTag() throws Exception {
      String tag = eTag(OBJECT);
      for (String value : List.of(tag, "W/" + tag, "\"a\", " + tag, "*")) {
        for (String method : List.of("GET", "HEAD")) {
          HttpResponse<byte[]> response = send(method, OBJECT, "If-None-Match", value);
          assertThat(response.statusCode()).as(method + " " + value).isEqualTo(304);
          assertThat(response.body()).isEmpty();
          assertThat(response.headers().firstValue("ETag")).hasValue(tag);
        }
      }
    }

    @Test
    @DisplayName("C12: If-None-Match with the current tag is 412 for other methods")
    void ifNoneMatchOnPost() throws Exception {
      assertThat(send("POST", OBJECT, "If-None-Match", eTag(OBJECT)).statusCode()).isEqualTo(412);
    }

    @Test
    @DisplayName("C12: If-None-Match with other tags serves the object")
    void ifNoneMatchOtherTags() throws Exception {
      assertFull(send("GET", OBJECT, "If-None-Match", "\"a\", W/\"b\""), objects.get(OBJECT));
    }

    @Test
    @DisplayName("C13: If-Modified-Since equal to Last-Modified is 304, whatever the backend says")
    void ifModifiedSinceEqual() throws Exception {
      HttpResponse<byte[]> response =
          send("GET", OBJECT, "If-Modified-Since", lastModified(OBJECT));

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().firstValue("ETag")).hasValue(eTag(OBJECT));
    }

    @Test
    @DisplayName("C13: If-Modified-Since before Last-Modified serves the object")
    void ifModifiedSinceEarlier() throws Exception {
      Instant modified = HttpDates.parse(lastModified(OBJECT)).orElseThrow();
      assertFull(
          send("GET", OBJECT, "If-Modified-Since", HttpDates.format(modified.minusSeconds(1))),
          objects.get(OBJECT));
    }

    @Test
    @DisplayName("C13: If-Modified-Since is ignored with If-None-Match, when invalid, or on POST")
    void ifModifiedSinceIgnored() throws Exception {
      String later =
          HttpDates.format(HttpDates.parse(lastModified(OBJECT)).orElseThrow().plusSeconds(60));
      assertFull(
          send("GET", OBJECT, "If-None-Match", "\"other\"", "If-Modified-Since", later),
          objects.get(OBJECT));
      assertFull(send("GET", OBJECT, "If-Modified-Since", "yesterday"), objects.get(OBJECT));
      assertFull(send("POST", OBJECT, "If-Modified-Since", later), objects.get(OBJECT));
      assertThat(send("GET", OBJECT, "If-Modified-Since", later).statusCode()).isEqualTo(304);
    }

    @Test
    @DisplayName("C14: If-Unmodified-Since before Last-Modified is 412; equal passes")
    void ifUnmodifiedSince() throws Exception {
      String modified = lastModified(OBJECT);
      String earlier = HttpDates.format(HttpDates.parse(modified).orElseThrow().minusSeconds(1));
      assertThat(send("GET", OBJECT, "If-Unmodified-Since", earlier).statusCode()).isEqualTo(412);
      Counted response = counted("GET", OBJECT, "If-Unmodified-Since", modified);
      assertFull(response.response(), objects.get(OBJECT));
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C14: If-Unmodified-Since is ignored with If-Match, and when invalid")
    void ifUnmodifiedSinceIgnored() throws Exception {
      String earlier =
          HttpDates.format(HttpDates.parse(lastModified(OBJECT)).orElseThrow().minusSeconds(1));
      assertFull(
          send("GET", OBJECT, "If-Match", eTag(OBJECT), "If-Unmodified-Since", earlier),
          objects.get(OBJECT));
      assertFull(send("GET", OBJECT, "If-Unmodified-Since", "not a date"), objects.get(OBJECT));
    }

    @Test
    @DisplayName("C10: If-Match and If-Unmodified-Since are evaluated before If-None-Match")
    void evaluationOrder() throws Exception {
      String tag = eTag(OBJECT);
      String earlier =
          HttpDates.format(HttpDates.parse(lastModified(OBJECT)).orElseThrow().minusSeconds(1));
      // Both would fail; the earlier step decides.
      assertThat(send("GET", OBJECT, "If-Match", "\"other\"", "If-None-Match", tag).statusCode())
          .isEqualTo(412);
      assertThat(
              send("GET", OBJECT, "If-Unmodified-Since", earlier, "If-None-Match", tag)
                  .statusCode())
          .isEqualTo(412);
      // If-Match holds, so If-None-Match decides.
      assertThat(send("GET", OBJECT, "If-Match", tag, "If-None-Match", tag).statusCode())
          .isEqualTo(304);
    }

    @Test
    @DisplayName("C16: a 304 wins over a Range")
    void notModifiedWinsOverRange() throws Exception {
      String tag = eTag(OBJECT);
      assertThat(send("GET", OBJECT, "If-None-Match", tag, "Range", "bytes=0-9").statusCode())
          .isEqualTo(304);
      assertThat(send("GET", OBJECT, "If-None-Match", tag, "Range", "bytes=999999-").statusCode())
          .isEqualTo(304);
      assertThat(send("GET", OBJECT, "If-Match", "\"x\"", "Range", "bytes=0-9").statusCode())
          .isEqualTo(412);
    }

    @ParameterizedTest(name = "C17: a missing object is 404 whatever {0} says")
    @CsvSource({
      "If-Match,          '\"x\"'",
      "If-Match,          '*'",
      "If-None-Match,     '*'",
      "If-None-Match,     '\"x\"'",
      "If-Unmodified-Since, 'Sun, 06 Nov 1994 08:49:37 GMT'",
      "If-Modified-Since, 'Fri, 01 Jan 2100 00:00:00 GMT'",
      "Range,             'bytes=5-'",
      "Range,             'bytes=0-1,5-6'",
    })
    void missingObjectIsNotFoundWhateverTheConditions(String header, String value)
        throws Exception {
      for (String method : List.of("GET", "HEAD")) {
        assertThat(send(method, "no-such-key", header, value).statusCode())
            .as(method)
            .isEqualTo(404);
      }
    }

    @Test
    @DisplayName("C18: 304 carries ETag, Cache-Control, Expires and Vary, and no body")
    void notModifiedCarriesCachingHeaders() throws Exception {
      String tag = eTag(DESCRIBED);
      HttpResponse<byte[]> response =
          sendTo(app, "GET", path(DESCRIBED, "vary=Accept-Encoding"), "If-None-Match", tag);

      assertThat(response.statusCode()).isEqualTo(304);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().firstValue("ETag")).hasValue(tag);
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=60");
      assertThat(response.headers().firstValue("Expires")).hasValue(EXPIRES);
      assertThat(response.headers().firstValue("Vary")).hasValue("Accept-Encoding");
      assertThat(response.headers().firstValue("Content-Range")).isEmpty();
      assertThat(response.headers().map().keySet()).noneMatch(name -> name.startsWith("x-amz"));
    }

    @Test
    @DisplayName("C18: 304 keeps the application's Cache-Control and Expires, at one S3 request")
    void notModifiedWithApplicationCaching() throws Exception {
      String tag = eTag(DESCRIBED);
      Counted response =
          countedTo(
              app,
              "GET",
              path(
                  DESCRIBED,
                  "cacheControl=private&expires="
                      + URLEncoder.encode("Thu, 01 Jan 2026 00:00:00 GMT", UTF_8)),
              "If-None-Match",
              tag);

      assertThat(response.response().statusCode()).isEqualTo(304);
      assertThat(response.response().headers().allValues("Cache-Control"))
          .containsExactly("private");
      assertThat(response.response().headers().allValues("Expires"))
          .containsExactly("Thu, 01 Jan 2026 00:00:00 GMT");
      assertThat(response.s3Requests()).isEqualTo(backend.notModifiedCarriesEntityTag() ? 1 : 2);
    }

    @Test
    @DisplayName("C18: a backend 304 without caching headers costs at most one HeadObject more")
    void notModifiedIsCompletedWhenTheBackendLeavesHeadersOut() throws Exception {
      String tag = eTag(DESCRIBED);
      Counted response = counted("GET", DESCRIBED, "If-None-Match", tag);

      assertThat(response.response().statusCode()).isEqualTo(304);
      assertThat(response.s3Requests()).isBetween(1, 2);
    }

    @Test
    @DisplayName("C20: HEAD answers conditions like GET, without a body")
    void headIsConditionalToo() throws Exception {
      String tag = eTag(OBJECT);
      HttpResponse<byte[]> head = send("HEAD", OBJECT, "If-None-Match", "\"other\"");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(LENGTH));
      assertThat(send("HEAD", OBJECT, "If-None-Match", tag).statusCode()).isEqualTo(304);
      assertThat(send("HEAD", OBJECT, "If-Modified-Since", lastModified(OBJECT)).statusCode())
          .isEqualTo(304);
    }
  }

  @Nested
  @DisplayName("If-Range (RFC 9110 §13.1.5)")
  class IfRange {

    @Test
    @DisplayName("C15: a matching entity-tag serves the range, at one S3 request")
    void matchingTag() throws Exception {
      String tag = eTag(OBJECT);
      Counted response = counted("GET", OBJECT, "If-Range", tag, "Range", "bytes=10-19");

      assertPartial(response.response(), OBJECT, 10, 19);
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @Test
    @DisplayName("C15: a matching date serves the range, at one S3 request")
    void matchingDate() throws Exception {
      String date = lastModified(OBJECT);
      Counted response = counted("GET", OBJECT, "If-Range", date, "Range", "bytes=10-19");

      assertPartial(response.response(), OBJECT, 10, 19);
      assertThat(response.s3Requests()).isEqualTo(1);
    }

    @ParameterizedTest(name = "C15: If-Range ''{0}'' does not hold: 200 with the whole object")
    @ValueSource(
        strings = {
          "\"other\"",
          "W/CURRENT",
          "Sun, 06 Nov 1994 08:49:37 GMT",
          "LATER",
          "not a date",
        })
    void mismatchServesTheWholeObject(String ifRange) throws Exception {
      String value =
          ifRange
              .replace("CURRENT", eTag(OBJECT))
              .replace(
                  "LATER",
                  HttpDates.format(
                      HttpDates.parse(lastModified(OBJECT)).orElseThrow().plusSeconds(1)));
      assertFull(
          send("GET", OBJECT, "If-Range", value, "Range", "bytes=10-19"), objects.get(OBJECT));
    }

    @Test
    @DisplayName("C15: If-Range without Range is ignored")
    void withoutRangeIsIgnored() throws Exception {
      assertFull(send("GET", OBJECT, "If-Range", "\"other\""), objects.get(OBJECT));
    }

    @Test
    @DisplayName("C15: a matching If-Range serves several ranges as multipart")
    void matchingTagWithSeveralRanges() throws Exception {
      HttpResponse<byte[]> response =
          send("GET", OBJECT, "If-Range", eTag(OBJECT), "Range", "bytes=0-1,1000-1001");
      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(
              Multipart.parse(
                  response.headers().firstValue("Content-Type").orElseThrow(), response.body()))
          .hasSize(2);
    }
  }

  @Nested
  @DisplayName("Consistency")
  class Consistency {

    @Test
    @DisplayName("An object overwritten during a download: one version, whole or cut short")
    void overwriteDuringADownloadNeverMixesVersions() throws Exception {
      String key = "rewritten.bin";
      byte[] first = new byte[40 * 1024 * 1024];
      Arrays.fill(first, (byte) 'a');
      byte[] second = new byte[40 * 1024 * 1024];
      Arrays.fill(second, (byte) 'b');
      put(key, first, "application/x-test", null);
      HttpRequest request =
          HttpRequest.newBuilder(app.uri(path(key, ""))).timeout(Duration.ofSeconds(60)).build();
      HttpResponse<InputStream> response = http.send(request, BodyHandlers.ofInputStream());
      var body = new ByteArrayOutputStream();
      boolean complete;
      try (InputStream in = response.body()) {
        body.write(in.readNBytes(1024 * 1024));
        admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(second));
        in.transferTo(body);
        complete = true;
      } catch (IOException cutShort) {
        complete = false;
      }
      byte[] received = body.toByteArray();

      assertThat(response.statusCode()).isEqualTo(200);
      if (complete) {
        assertThat(received.length).isEqualTo(first.length);
      }
      byte version = received[0];
      int other = 0;
      for (byte b : received) {
        other += b == version ? 0 : 1;
      }
      assertThat(other).as("bytes of the other version").isZero();
    }

    @Test
    @DisplayName("C07: an object overwritten between the parts of a multipart answer is cut short")
    void overwriteBetweenPartsNeverSplicesVersions() throws Exception {
      String key = "changing.bin";
      byte[] first = new byte[200_000];
      Arrays.fill(first, (byte) 'a');
      byte[] second = new byte[200_000];
      Arrays.fill(second, (byte) 'b');
      put(key, first, "application/x-test", null);
      CountingStore hooked = variant.engine().open(backend, backend.endpoint(), storeOptions());
      // Before the second part's GetObject (the first GET fetches part one), replace the object.
      hooked.beforeGet(
          2, () -> admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(second)));
      try (hooked;
          RedirectingApp changing = new RedirectingApp(hooked, settings().build());
          Socket socket =
              RawHttp.get(
                  changing.port(),
                  path(key, ""),
                  "Connection: close",
                  "Range: bytes=0-99999,150000-159999")) {
        InputStream in = socket.getInputStream();
        String head = RawHttp.readHead(in);
        assertThat(head).startsWith("HTTP/1.1 206 ");
        long announced = Long.parseLong(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        byte[] body = RawHttp.readToTheEnd(in);

        assertThat((long) body.length).isLessThan(announced);
        int data = Multipart.indexOf(body, 0, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
        assertThat(body.length - data).isPositive();
        assertThat(Arrays.copyOfRange(body, data, body.length))
            .as("the bytes after the first part header are all of the first version")
            .containsOnly((byte) 'a');
        assertThat(changing.awaitOutcome(Outcome.UPSTREAM_FAILED_AFTER_COMMIT))
            .last()
            .extracting(S3RedirectEvent::outcome)
            .isEqualTo(Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
      }
      assertThat(send("GET", key, "Range", "bytes=0-9").body())
          .isEqualTo(Arrays.copyOf(second, 10));
    }

    @Test
    @DisplayName("C15: an object overwritten after If-Range was taken serves the new whole object")
    void ifRangeAfterOverwrite() throws Exception {
      String key = "replaced.bin";
      put(key, "version one".getBytes(UTF_8), "text/plain", null);
      String oldTag = eTag(key);
      put(key, "version two!".getBytes(UTF_8), "text/plain", null);
      Counted response = counted("GET", key, "If-Range", oldTag, "Range", "bytes=0-3");

      assertFull(response.response(), "version two!".getBytes(UTF_8));
      assertThat(response.s3Requests()).isEqualTo(2);
    }
  }
}
