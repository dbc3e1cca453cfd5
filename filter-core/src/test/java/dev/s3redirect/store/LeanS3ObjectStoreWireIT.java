package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import dev.s3redirect.store.ObjectStoreException.Failure;
import dev.s3redirect.testing.CountingInterceptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.Md5Utils;

/**
 * The lean engine on the wire, against a scripted S3 stand-in: what it sends, byte for byte, how
 * many requests, and how it reads answers S3-compatible servers cannot be made to give.
 */
@Timeout(60)
class LeanS3ObjectStoreWireIT {

  private static final S3Location OBJECT = S3Location.of("bucket", "key");
  private static final Charset UTF8 = StandardCharsets.UTF_8;
  private static final String LAST_MODIFIED = "Fri, 01 Mar 2024 10:15:30 GMT";

  private ScriptedS3 s3;
  private RecordingStore fallback;
  private LeanS3ObjectStore store;

  @BeforeEach
  void start() throws IOException {
    s3 = new ScriptedS3();
    fallback = new RecordingStore();
    store = builder().build();
  }

  @AfterEach
  void stop() throws IOException {
    store.close();
    s3.close();
  }

  private LeanS3ObjectStore.Builder builder() {
    return LeanS3ObjectStore.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(s3.endpoint())
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")))
        .fallback(fallback)
        .firstByteTimeout(Duration.ofSeconds(10));
  }

  private void ok(String body, String... headers) {
    List<String> all = new ArrayList<>(List.of(headers));
    all.add("ETag: \"abc\"");
    all.add("Last-Modified: " + LAST_MODIFIED);
    s3.enqueue(200, "OK", all, body);
  }

  private static byte[] read(GetResult result) throws IOException {
    ObjectContent content = ((GetResult.Found) result).content();
    byte[] bytes = content.body().readAllBytes();
    content.close();
    return bytes;
  }

  @Nested
  class OneRequestPerRead {

    @Test
    void aWholeObject() throws Exception {
      ok("hello", "Content-Type: text/plain");

      assertThat(read(store.get(ObjectRequest.of(OBJECT)))).isEqualTo("hello".getBytes(UTF8));

      assertThat(s3.requests()).hasSize(1);
      assertThat(s3.requests().get(0).requestLine()).isEqualTo("GET /bucket/key HTTP/1.1");
    }

    @Test
    void aRange() throws Exception {
      s3.enqueue(
          206, "Partial Content", List.of("Content-Range: bytes 1-3/5", "ETag: \"abc\""), "ell");

      GetResult result = store.get(ObjectRequest.of(OBJECT).withRange("bytes=1-3"));

      ObjectContent content = ((GetResult.Found) result).content();
      assertThat(content.part()).contains(new ByteRange(1, 3));
      assertThat(content.metadata().contentLength()).isEqualTo(5);
      assertThat(content.bodyLength()).isEqualTo(3);
      assertThat(content.body().readAllBytes()).isEqualTo("ell".getBytes(UTF8));
      content.close();
      assertThat(s3.requests()).hasSize(1);
      assertThat(s3.requests().get(0).header("Range")).isEqualTo("bytes=1-3");
    }

    @Test
    void aConditionalReadAnsweredNotModified() throws Exception {
      s3.enqueue(
          List.of(
              "HTTP/1.1 304 Not Modified",
              "ETag: \"abc\"",
              "Last-Modified: " + LAST_MODIFIED,
              "Cache-Control: max-age=60",
              "Expires: Sat, 02 Mar 2024 10:15:30 GMT"),
          new byte[0]);

      GetResult result =
          store.get(
              ObjectRequest.of(OBJECT)
                  .withIfNoneMatch("\"abc\"")
                  .withIfModifiedSince(Instant.parse("2024-03-01T10:15:30Z")));

      assertThat(result)
          .isEqualTo(
              new GetResult.NotModified(
                  "\"abc\"",
                  Instant.parse("2024-03-01T10:15:30Z"),
                  "max-age=60",
                  "Sat, 02 Mar 2024 10:15:30 GMT"));
      ScriptedS3.Recorded request = s3.requests().get(0);
      assertThat(request.header("If-None-Match")).isEqualTo("\"abc\"");
      assertThat(request.header("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
      assertThat(s3.requests()).hasSize(1);
    }

    @Test
    void aFailedPreconditionAndAnUnsatisfiableRangeReuseTheConnection() throws Exception {
      s3.enqueue(412, "Precondition Failed", List.of(), "<Error><Code>PreconditionFailed</Code>");
      s3.enqueue(416, "Requested Range Not Satisfiable", List.of(), "<Error/>");

      assertThat(store.get(ObjectRequest.of(OBJECT).withIfMatch("\"other\"")))
          .isEqualTo(new GetResult.PreconditionFailed());
      assertThat(store.get(ObjectRequest.of(OBJECT).withRange("bytes=9-")))
          .isEqualTo(new GetResult.RangeNotSatisfiable());

      assertThat(s3.requests()).hasSize(2);
      assertThat(s3.requests().get(0).header("If-Match")).isEqualTo("\"other\"");
      assertThat(s3.connections()).isEqualTo(1);
    }

    @Test
    void aHead() throws Exception {
      s3.enqueue(
          List.of(
              "HTTP/1.1 200 OK",
              "Content-Length: 4096",
              "ETag: \"abc\"",
              "Last-Modified: " + LAST_MODIFIED,
              "Content-Type: image/png",
              "Content-Encoding: gzip",
              "Content-Disposition: inline",
              "Content-Language: de",
              "Cache-Control: no-store",
              "Expires: 0"),
          new byte[0]);

      ObjectMetadata metadata = store.head(OBJECT);

      assertThat(metadata)
          .isEqualTo(
              new ObjectMetadata(
                  4096,
                  "\"abc\"",
                  Instant.parse("2024-03-01T10:15:30Z"),
                  "image/png",
                  "gzip",
                  "inline",
                  "de",
                  "no-store",
                  "0"));
      assertThat(s3.requests()).hasSize(1);
      assertThat(s3.requests().get(0).requestLine()).isEqualTo("HEAD /bucket/key HTTP/1.1");
    }

    @Test
    void aMissingObjectIsNotRetried() {
      s3.enqueue(
          404,
          "Not Found",
          List.of("x-amz-request-id: REQ1"),
          "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
              + "</Error>");

      assertThatThrownBy(() -> store.get(ObjectRequest.of(OBJECT)))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "GetObject s3://bucket/key failed after 1 attempt: HTTP 404, S3 error"
                            + " NoSuchKey (The specified key does not exist.), request id REQ1");
              });
      assertThat(s3.requests()).hasSize(1);
    }

    @Test
    void theSdkStoreAlsoSendsOneRequestPerRead() throws Exception {
      CountingInterceptor counter = new CountingInterceptor();
      try (S3Client client =
          S3Client.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(s3.endpoint())
              .forcePathStyle(true)
              .credentialsProvider(AnonymousCredentialsProvider.create())
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
              .build()) {
        S3ObjectStore sdk = new S3ObjectStore(client, Duration.ofSeconds(10));
        ok("hello");
        ok("hello");

        read(sdk.get(ObjectRequest.of(OBJECT)));
        read(store.get(ObjectRequest.of(OBJECT)));
      }

      assertThat(counter.requests()).isEqualTo(1);
      assertThat(s3.requests()).hasSize(2);
      assertThat(s3.requests().get(1).target()).isEqualTo(s3.requests().get(0).target());
    }
  }

  @Nested
  class TheKeyReachesS3AsItIs {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
        delimiter = '|',
        value = {
          "a b | /bucket/a%20b",
          "a+b%c?d#e | /bucket/a%2Bb%25c%3Fd%23e",
          "été/日本/😀 | /bucket/%C3%A9t%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80",
          "a//b | /bucket/a//b",
          "/leading | /bucket//leading",
          "x///y/ | /bucket/x///y/",
        })
    void inTheRequestLine(String key, String target) throws Exception {
      ok("x");

      read(store.get(ObjectRequest.of(S3Location.of("bucket", key))));

      assertThat(s3.requests().get(0).target()).isEqualTo(target);
    }

    @Test
    void theVersionIsAQueryParameter() throws Exception {
      ok("x");

      read(store.get(ObjectRequest.of(OBJECT.withVersionId("3/L4kq+tZ="))));

      assertThat(s3.requests().get(0).target()).isEqualTo("/bucket/key?versionId=3%2FL4kq%2BtZ%3D");
    }

    @Test
    void theSignedHostIsTheHostSent() throws Exception {
      ok("x");

      read(store.get(ObjectRequest.of(OBJECT)));

      ScriptedS3.Recorded request = s3.requests().get(0);
      assertThat(request.header("Host")).isEqualTo("127.0.0.1:" + s3.port());
      assertThat(request.header("Authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=AKID/")
          .contains("/us-east-1/s3/aws4_request");
      assertThat(request.header("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
      assertThat(request.header("Accept-Encoding")).isNull();
    }

    @Test
    void anonymousRequestsAreUnsigned() throws Exception {
      try (LeanS3ObjectStore anonymous =
          builder().credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
        ok("x");

        read(anonymous.get(ObjectRequest.of(OBJECT)));
      }

      assertThat(s3.requests().get(0).header("Authorization")).isNull();
      assertThat(s3.requests().get(0).header("X-Amz-Date")).isNull();
    }

    @Test
    void anS3ClientsPathStyleAddressingIsFollowed() throws Exception {
      URI byName = URI.create("http://localhost:" + s3.port());
      try (S3Client client =
              S3Client.builder()
                  .region(Region.EU_WEST_1)
                  .endpointOverride(byName)
                  .forcePathStyle(true)
                  .credentialsProvider(AnonymousCredentialsProvider.create())
                  .build();
          LeanS3ObjectStore configured =
              LeanS3ObjectStore.builder().configureFrom(client).build()) {
        ok("x");

        read(configured.get(ObjectRequest.of(OBJECT)));
      }

      assertThat(s3.requests().get(0).requestLine()).isEqualTo("GET /bucket/key HTTP/1.1");
      assertThat(s3.requests().get(0).header("Host")).isEqualTo("localhost:" + s3.port());
    }
  }

  @Nested
  class AnswersThatCannotBeServed {

    @Test
    void aBodyWithoutContentLengthIsAbortedNotRead() {
      List<String> head = List.of("HTTP/1.1 200 OK", "ETag: \"abc\"", "Transfer-Encoding: chunked");
      s3.enqueue(head, chunkedBody(new byte[64 * 1024], 32));

      assertThatThrownBy(() -> store.get(ObjectRequest.of(OBJECT)))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
                assertThat(e.getMessage())
                    .isEqualTo("GetObject s3://bucket/key answered without Content-Length");
              });
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes 0-3/5", "bytes 1-3", "items 1-3/5", ""})
    void aPartWhoseContentRangeDisagreesIsAbortedAndFails(String contentRange) {
      s3.enqueue(206, "Partial Content", List.of("Content-Range: " + contentRange), "ell");

      assertThatThrownBy(() -> store.get(ObjectRequest.of(OBJECT).withRange("bytes=1-3")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
                assertThat(e.getMessage()).contains("answered 206 with Content-Range");
              });
    }

    @Test
    void aHeadWithoutContentLengthFails() {
      s3.enqueue(List.of("HTTP/1.1 200 OK", "ETag: \"abc\"", "Content-Length: x"), new byte[0]);

      assertThatThrownBy(() -> store.head(OBJECT))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
    }

    @Test
    void aLongErrorBodyIsCutShortAndItsConnectionDropped() {
      String huge = "<Error><Code>InternalError</Code>" + "x".repeat(1 << 20) + "</Error>";
      for (int i = 0; i < 3; i++) {
        s3.enqueue(500, "Internal Server Error", List.of(), huge);
      }

      assertThatThrownBy(() -> store.get(ObjectRequest.of(OBJECT)))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
                assertThat(e.getMessage())
                    .contains("after 3 attempts: HTTP 500, S3 error InternalError");
              });
      assertThat(s3.connections()).isEqualTo(3);
    }
  }

  @Nested
  class BucketsInAnotherRegion {

    @Test
    void areSignedForTheRegionS3NamesFromTheFirstRedirectOn() throws Exception {
      s3.enqueue(
          301,
          "Moved Permanently",
          List.of("x-amz-bucket-region: eu-west-1"),
          "<Error><Code>PermanentRedirect</Code></Error>");
      ok("hello");
      ok("again");
      s3.enqueue(List.of("HTTP/1.1 200 OK", "Content-Length: 5", "ETag: \"abc\""), new byte[0]);

      assertThat(read(store.get(ObjectRequest.of(OBJECT)))).isEqualTo("hello".getBytes(UTF8));
      assertThat(read(store.get(ObjectRequest.of(OBJECT)))).isEqualTo("again".getBytes(UTF8));
      assertThat(store.head(OBJECT).contentLength()).isEqualTo(5);

      assertThat(fallback.calls).isEmpty();
      assertThat(s3.requests())
          .extracting(request -> request.header("Authorization"))
          .satisfiesExactly(
              first -> assertThat(first).contains("/us-east-1/s3/aws4_request"),
              second -> assertThat(second).contains("/eu-west-1/s3/aws4_request"),
              third -> assertThat(third).contains("/eu-west-1/s3/aws4_request"),
              head -> assertThat(head).contains("/eu-west-1/s3/aws4_request"));
    }

    @Test
    void goToTheFallbackWhenS3RedirectsAgain() throws Exception {
      s3.enqueue(
          301,
          "Moved Permanently",
          List.of("x-amz-bucket-region: eu-west-1"),
          "<Error><Code>PermanentRedirect</Code></Error>");
      s3.enqueue(
          400,
          "Bad Request",
          List.of("x-amz-bucket-region: ap-south-1"),
          "<Error><Code>AuthorizationHeaderMalformed</Code></Error>");

      GetResult first = store.get(ObjectRequest.of(OBJECT));
      GetResult second = store.get(ObjectRequest.of(OBJECT));
      ObjectMetadata head = store.head(OBJECT);

      assertThat(first).isSameAs(RecordingStore.ANSWER);
      assertThat(second).isSameAs(RecordingStore.ANSWER);
      assertThat(head).isSameAs(RecordingStore.METADATA);
      assertThat(fallback.calls).containsExactly("get", "get", "head");
      assertThat(s3.requests()).hasSize(2);
    }

    @Test
    void failAsUnavailableWithoutAFallback() throws Exception {
      try (LeanS3ObjectStore alone = builder().fallback(null).build()) {
        s3.enqueue(400, "Bad Request", List.of("x-amz-bucket-region: eu-west-1"), "<Error/>");
        s3.enqueue(400, "Bad Request", List.of("x-amz-bucket-region: eu-west-2"), "<Error/>");

        assertThatThrownBy(() -> alone.get(ObjectRequest.of(OBJECT)))
            .isInstanceOfSatisfying(
                ObjectStoreException.class,
                e -> {
                  assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
                  assertThat(e.getMessage())
                      .contains("needs the SDK engine")
                      .contains("no fallback store is configured");
                });
      }
    }
  }

  private static byte[] chunkedBody(byte[] chunk, int chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < chunks; i++) {
      out.writeBytes(size);
      out.writeBytes(chunk);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Nested
  class CustomerKeysAndRequesterPays {

    private final byte[] secret = new byte[32];
    private final CustomerKey key = CustomerKey.aes256(secret);
    private final CustomerKeyProvider keys =
        location -> location.key().startsWith("sealed/") ? Optional.of(key) : Optional.empty();

    private void assertSent(ScriptedS3.Recorded request, boolean sealed) {
      String signed = request.header("Authorization");
      if (sealed) {
        assertThat(request.header("x-amz-server-side-encryption-customer-algorithm"))
            .isEqualTo("AES256");
        assertThat(request.header("x-amz-server-side-encryption-customer-key"))
            .isEqualTo(Base64.getEncoder().encodeToString(secret));
        assertThat(request.header("x-amz-server-side-encryption-customer-key-MD5"))
            .isEqualTo(Md5Utils.md5AsBase64(secret));
        assertThat(signed)
            .contains("x-amz-server-side-encryption-customer-key;")
            .contains("x-amz-server-side-encryption-customer-key-md5");
      } else {
        assertThat(request.headerLines())
            .noneMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("x-amz-server-side"));
      }
      assertThat(request.header("x-amz-request-payer")).isEqualTo("requester");
      assertThat(signed).contains("x-amz-request-payer");
    }

    private void readThrough(ObjectStore through) throws Exception {
      ok("hello");
      read(
          through.get(
              ObjectRequest.of(S3Location.of("bucket", "sealed/a")).withRange("bytes=0-4")));
      ok("");
      through.head(S3Location.of("bucket", "sealed/a"));
      ok("hello");
      read(through.get(ObjectRequest.of(S3Location.of("bucket", "open/b"))));
    }

    @Test
    void theLeanEngineSendsThemOnGetAndHeadAndSignsThem() throws Exception {
      try (LeanS3ObjectStore lean = builder().customerKeys(keys).requesterPays(true).build()) {
        readThrough(lean);
      }
      assertThat(s3.requests())
          .extracting(ScriptedS3.Recorded::method)
          .containsExactly("GET", "HEAD", "GET");
      assertSent(s3.requests().get(0), true);
      assertSent(s3.requests().get(1), true);
      assertSent(s3.requests().get(2), false);
    }

    @Test
    void theSdkStoreSendsThemOnGetAndHeadAndSignsThem() throws Exception {
      try (S3Client client =
          S3Client.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(s3.endpoint())
              .forcePathStyle(true)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")))
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .build()) {
        readThrough(
            new S3ObjectStore(client, Duration.ofSeconds(10))
                .withCustomerKeys(keys)
                .withRequesterPays(true));
      }
      assertThat(s3.requests())
          .extracting(ScriptedS3.Recorded::method)
          .containsExactly("GET", "HEAD", "GET");
      assertSent(s3.requests().get(0), true);
      assertSent(s3.requests().get(1), true);
      assertSent(s3.requests().get(2), false);
    }

    @Test
    void withoutThemNothingIsAdded() throws Exception {
      ok("hello");
      read(store.get(ObjectRequest.of(S3Location.of("bucket", "sealed/a"))));
      assertThat(s3.requests().get(0).headerLines())
          .noneMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("x-amz-server-side"))
          .noneMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("x-amz-request-payer"));
    }
  }

  /** A fallback store that records what it was asked. */
  private static final class RecordingStore implements ObjectStore {
    static final GetResult ANSWER = new GetResult.PreconditionFailed();
    static final ObjectMetadata METADATA =
        new ObjectMetadata(1, null, null, null, null, null, null, null, null);
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public ObjectMetadata head(S3Location location) {
      calls.add("head");
      return METADATA;
    }

    @Override
    public GetResult get(ObjectRequest request) {
      calls.add("get");
      return ANSWER;
    }
  }
}
