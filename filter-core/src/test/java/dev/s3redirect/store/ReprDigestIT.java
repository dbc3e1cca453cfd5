package dev.s3redirect.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.testing.RedirectingApp;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * RFC 9530 digest fields end to end, through Jetty, a real HTTP client and both engines, from an S3
 * stand-in that sends stored checksums as Amazon S3 does ({@code x-amz-checksum-*}, {@code
 * x-amz-checksum-type}). Neither S3Proxy nor the Ceph RGW of Debian 12 stores checksums, and
 * LocalStack needs Docker, so the S3 side is scripted here: what is proven is what the filter asks
 * S3 for and what it makes of each answer.
 */
class ReprDigestIT {

  static final String BODY = "hello world";
  static final String SHA256 = base64(digest("SHA-256"));
  static final String SHA512 = base64(digest("SHA-512"));
  static final String OTHER_SHA256 = base64(digest("SHA-256", "another body"));
  static final String CRC32C = crc32c();
  static final String LAST_MODIFIED = "Fri, 01 Mar 2024 10:15:30 GMT";

  /** The two engines, each reading from the stand-in. */
  enum Engine {
    LEAN(client -> LeanS3ObjectStore.builder().configureFrom(client).build()),
    SDK(client -> new S3ObjectStore(client, Duration.ofSeconds(10)));

    final Function<S3Client, ObjectStore> open;

    Engine(Function<S3Client, ObjectStore> open) {
      this.open = open;
    }
  }

  private final List<AutoCloseable> open = new ArrayList<>();
  private ScriptedS3 s3;
  private RedirectingApp app;

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private void start(Engine engine) throws Exception {
    s3 = new ScriptedS3();
    open.add(s3);
    S3Client client =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(s3.endpoint())
            .forcePathStyle(true)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    open.add(client);
    ObjectStore store = engine.open.apply(client);
    if (store instanceof AutoCloseable closeable) {
      open.add(closeable);
    }
    app = new RedirectingApp(store, S3RedirectSettings.builder().allow("bucket").build());
    open.add(app);
  }

  private HttpResponse<String> send(String method, String... headers) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            app.request(method, S3Location.of("bucket", "key"), headers).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** S3's 206 to a ranged GetObject, with extra headers. */
  private void rangeAnswer(String eTag, String contentRange, String body, String... extra) {
    List<String> headers = new ArrayList<>(List.of(extra));
    headers.add("Content-Range: " + contentRange);
    headers.add("ETag: " + eTag);
    headers.add("Last-Modified: " + LAST_MODIFIED);
    s3.enqueue(206, "Partial Content", headers, body);
  }

  /** S3's 200 to an unranged GetObject, with the given checksum headers. */
  private void wholeObject(String... checksumHeaders) {
    List<String> headers = new ArrayList<>(List.of(checksumHeaders));
    headers.add("ETag: \"abc\"");
    headers.add("Last-Modified: " + LAST_MODIFIED);
    s3.enqueue(200, "OK", headers, BODY);
  }

  /** S3's 200 to a HeadObject: the length of the object, and no body. */
  private void headAnswer(String eTag, String... checksumHeaders) {
    List<String> head = new ArrayList<>();
    head.add("HTTP/1.1 200 OK");
    head.addAll(List.of(checksumHeaders));
    head.add("ETag: " + eTag);
    head.add("Last-Modified: " + LAST_MODIFIED);
    head.add("Content-Length: " + BODY.length());
    s3.enqueue(head, new byte[0]);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aWholeObjectCarriesItsStoredSha256AsReprDigest(Engine engine) throws Exception {
    start(engine);
    wholeObject("x-amz-checksum-sha256: " + SHA256, "x-amz-checksum-type: FULL_OBJECT");

    HttpResponse<String> response = send("GET");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BODY);
    assertThat(response.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + SHA256 + ":");
    assertThat(response.headers().firstValue("Content-Digest")).isEmpty();
    assertThat(response.headers().map().keySet()).noneMatch(name -> name.startsWith("x-amz"));
    assertThat(s3.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
    assertThat(s3.requests().get(0).header("x-amz-checksum-mode")).isEqualTo("ENABLED");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void contentDigestOnlyWhenAskedAndTheBodyIsTheWholeObject(Engine engine) throws Exception {
    start(engine);
    wholeObject(
        "x-amz-checksum-sha256: " + SHA256,
        "x-amz-checksum-sha512: " + SHA512,
        "x-amz-checksum-type: FULL_OBJECT");

    HttpResponse<String> response =
        send("GET", "Want-Content-Digest", "sha-512=3, sha-256=1", "Want-Repr-Digest", "sha-256=9");

    assertThat(response.body()).isEqualTo(BODY);
    assertThat(response.headers().firstValue("Content-Digest"))
        .hasValue("sha-512=:" + SHA512 + ":");
    assertThat(response.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + SHA256 + ":");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void headCarriesReprDigestButNoContentDigest(Engine engine) throws Exception {
    start(engine);
    headAnswer("\"abc\"", "x-amz-checksum-sha256: " + SHA256, "x-amz-checksum-type: FULL_OBJECT");

    HttpResponse<String> response = send("HEAD", "Want-Content-Digest", "sha-256=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + SHA256 + ":");
    assertThat(response.headers().firstValue("Content-Digest")).isEmpty();
    assertThat(s3.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("HEAD"));
    assertThat(s3.requests().get(0).header("x-amz-checksum-mode")).isEqualTo("ENABLED");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aCompositeOrUnregisteredChecksumIsNeverSent(Engine engine) throws Exception {
    start(engine);
    // A multipart upload's SHA-256: a checksum of the part checksums, not of the object.
    wholeObject("x-amz-checksum-sha256: " + SHA256 + "-3", "x-amz-checksum-type: COMPOSITE");
    wholeObject("x-amz-checksum-crc64nvme: jSnVw/bqjr4=", "x-amz-checksum-crc32: DUoRhQ==");

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response = send("GET", "Want-Repr-Digest", "sha-256=1, crc32=9");
      assertThat(response.body()).isEqualTo(BODY);
      assertThat(response.headers().firstValue("Repr-Digest")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDeprecatedAlgorithmOnlyWhenTheClientAsksForIt(Engine engine) throws Exception {
    start(engine);
    wholeObject("x-amz-checksum-crc32c: " + CRC32C, "x-amz-checksum-type: FULL_OBJECT");
    wholeObject("x-amz-checksum-crc32c: " + CRC32C, "x-amz-checksum-type: FULL_OBJECT");

    assertThat(send("GET").headers().firstValue("Repr-Digest")).isEmpty();
    assertThat(send("GET", "Want-Repr-Digest", "crc32c=5").headers().firstValue("Repr-Digest"))
        .hasValue("crc32c=:" + CRC32C + ":");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRangeCarriesTheWholeObjectsDigestFromOneHeadObjectPerVersion(Engine engine)
      throws Exception {
    start(engine);
    // The HEAD comes first, so that no S3 connection is held while another is awaited.
    headAnswer("\"abc\"", "x-amz-checksum-sha256: " + SHA256, "x-amz-checksum-type: FULL_OBJECT");
    // A backend that (wrongly) sends the whole object's checksum with a range: never used. The
    // value differs from the HEAD's, so using it would show.
    rangeAnswer("\"abc\"", "bytes 0-4/11", "hello", "x-amz-checksum-sha256: " + OTHER_SHA256);

    HttpResponse<String> first = send("GET", "Range", "bytes=0-4");

    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.body()).isEqualTo("hello");
    assertThat(first.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + SHA256 + ":");
    assertThat(first.headers().firstValue("Content-Digest")).isEmpty();
    assertThat(s3.requests())
        .extracting(ScriptedS3.Recorded::method)
        .containsExactly("HEAD", "GET");
    assertThat(s3.requests().get(0).header("x-amz-checksum-mode")).isEqualTo("ENABLED");
    assertThat(s3.requests().get(1).header("x-amz-checksum-mode")).isNull();

    // The next range of the same version: no HeadObject.
    rangeAnswer("\"abc\"", "bytes 6-10/11", "world");

    HttpResponse<String> second =
        send("GET", "Range", "bytes=6-10", "Want-Repr-Digest", "sha-256=1");

    assertThat(second.body()).isEqualTo("world");
    assertThat(second.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + SHA256 + ":");
    assertThat(s3.requests())
        .extracting(ScriptedS3.Recorded::method)
        .containsExactly("HEAD", "GET", "GET");

    // The object was rewritten: the range that finds out goes without the field...
    rangeAnswer("\"def\"", "bytes 6-10/11", "WORLD");

    HttpResponse<String> rewritten = send("GET", "Range", "bytes=6-10");

    assertThat(rewritten.body()).isEqualTo("WORLD");
    assertThat(rewritten.headers().firstValue("Repr-Digest")).isEmpty();

    // ...and the next one asks again: this version has no checksum.
    headAnswer("\"def\"");
    rangeAnswer("\"def\"", "bytes 0-4/11", "HELLO");

    assertThat(send("GET", "Range", "bytes=0-4").headers().firstValue("Repr-Digest")).isEmpty();
    assertThat(s3.requests())
        .extracting(ScriptedS3.Recorded::method)
        .containsExactly("HEAD", "GET", "GET", "GET", "HEAD", "GET");

    // That it has none is remembered too.
    rangeAnswer("\"def\"", "bytes 0-4/11", "HELLO");

    assertThat(send("GET", "Range", "bytes=0-4").headers().firstValue("Repr-Digest")).isEmpty();
    assertThat(s3.requests()).hasSize(7);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aWholeAnswerWithChecksumsSparesTheHeadObjectOfLaterRanges(Engine engine) throws Exception {
    start(engine);
    wholeObject("x-amz-checksum-sha256: " + SHA256, "x-amz-checksum-type: FULL_OBJECT");
    assertThat(send("GET").headers().firstValue("Repr-Digest"))
        .hasValue("sha-256=:" + SHA256 + ":");
    rangeAnswer("\"abc\"", "bytes 6-10/11", "world");

    HttpResponse<String> range = send("GET", "Range", "bytes=6-10");

    assertThat(range.body()).isEqualTo("world");
    assertThat(range.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + SHA256 + ":");
    assertThat(s3.requests()).extracting(ScriptedS3.Recorded::method).containsExactly("GET", "GET");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aClientRefusingEveryDigestCostsNoHeadObject(Engine engine) throws Exception {
    start(engine);
    rangeAnswer("\"abc\"", "bytes 6-10/11", "world");

    HttpResponse<String> response =
        send("GET", "Range", "bytes=6-10", "Want-Repr-Digest", "sha-256=0, sha-512=0");

    assertThat(response.body()).isEqualTo("world");
    assertThat(response.headers().firstValue("Repr-Digest")).isEmpty();
    assertThat(s3.requests()).extracting(ScriptedS3.Recorded::method).containsExactly("GET");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aHeadOfAnotherVersionGivesNoDigest(Engine engine) throws Exception {
    start(engine);
    headAnswer("\"def\"", "x-amz-checksum-sha256: " + SHA256, "x-amz-checksum-type: FULL_OBJECT");
    rangeAnswer("\"abc\"", "bytes 6-10/11", "world");

    HttpResponse<String> response =
        send("GET", "Range", "bytes=6-10", "Want-Repr-Digest", "sha-256=1");

    assertThat(response.body()).isEqualTo("world");
    assertThat(response.headers().firstValue("Repr-Digest")).isEmpty();
  }

  private static byte[] digest(String algorithm) {
    return digest(algorithm, BODY);
  }

  private static byte[] digest(String algorithm, String body) {
    try {
      return MessageDigest.getInstance(algorithm).digest(body.getBytes(UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(BODY.getBytes(UTF_8));
    return base64(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
