package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3MockBackend;
import dev.s3redirect.testing.StoreOptions;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * RFC 9530 digests from checksums a real S3 implementation stores: Adobe S3Mock, through Jetty, a
 * real client and both engines. Objects uploaded with a SHA-256 or CRC32C checksum, one without,
 * and a multipart upload whose SHA-256 is composite. S3Mock also sends the whole object's checksum
 * with a range, as Amazon S3 does not: the filter must not take it for the range's.
 */
class S3MockReprDigestIT {

  static final String BUCKET = "digests";
  static final byte[] OBJECT = new byte[300 * 1024];
  static final byte[] PART = new byte[5 * 1024 * 1024];

  static S3MockBackend backend;
  static S3Client admin;

  /**
   * HTTP/1.1: the JDK client's h2c upgrade now and then misreads a large first response that
   * follows the 101 at once, whoever wrote the body; digests do not depend on the HTTP version.
   */
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    new Random(18).nextBytes(OBJECT);
    new Random(19).nextBytes(PART);
    backend = new S3MockBackend();
    admin = backend.clientBuilder(backend.endpoint()).build();
    admin.createBucket(b -> b.bucket(BUCKET));
    admin.putObject(
        b -> b.bucket(BUCKET).key("sha256.bin").checksumAlgorithm(ChecksumAlgorithm.SHA256),
        RequestBody.fromBytes(OBJECT));
    admin.putObject(
        b -> b.bucket(BUCKET).key("crc32c.bin").checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
        RequestBody.fromBytes(OBJECT));
    admin.putObject(b -> b.bucket(BUCKET).key("none.bin"), RequestBody.fromBytes(OBJECT));
    String upload =
        admin
            .createMultipartUpload(
                b ->
                    b.bucket(BUCKET)
                        .key("multipart.bin")
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256))
            .uploadId();
    List<CompletedPart> parts =
        List.of(part(upload, 1, PART), part(upload, 2, Arrays.copyOf(OBJECT, 1024)));
    admin.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key("multipart.bin")
                .uploadId(upload)
                .multipartUpload(m -> m.parts(parts)));
  }

  private static CompletedPart part(String upload, int number, byte[] bytes) {
    var answer =
        admin.uploadPart(
            b ->
                b.bucket(BUCKET)
                    .key("multipart.bin")
                    .uploadId(upload)
                    .partNumber(number)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256),
            RequestBody.fromBytes(bytes));
    return CompletedPart.builder()
        .partNumber(number)
        .eTag(answer.eTag())
        .checksumSHA256(answer.checksumSHA256())
        .build();
  }

  @AfterAll
  static void stop() {
    admin.close();
    backend.close();
  }

  static RedirectingApp app(Engine engine) throws Exception {
    CountingStore store = engine.open(backend, backend.endpoint(), StoreOptions.defaults());
    return new RedirectingApp(store, S3RedirectSettings.builder().allow(BUCKET).build())
        .closing(store);
  }

  static HttpResponse<byte[]> send(RedirectingApp app, String method, String key, String... headers)
      throws Exception {
    return HTTP.send(
        app.request(method, S3Location.of(BUCKET, key), headers).build(),
        BodyHandlers.ofByteArray());
  }

  static String sha256() throws Exception {
    return "sha-256=:"
        + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(OBJECT))
        + ":";
  }

  static String crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(OBJECT);
    return "crc32c=:"
        + Base64.getEncoder()
            .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array())
        + ":";
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void getAndHeadCarryTheStoredSha256(Engine engine) throws Exception {
    try (RedirectingApp app = app(engine)) {
      HttpResponse<byte[]> get = send(app, "GET", "sha256.bin", "Want-Content-Digest", "sha-256=1");
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(OBJECT);
      assertThat(get.headers().firstValue("Repr-Digest")).hasValue(sha256());
      assertThat(get.headers().firstValue("Content-Digest")).hasValue(sha256());

      HttpResponse<byte[]> head = send(app, "HEAD", "sha256.bin");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Repr-Digest")).hasValue(sha256());
      assertThat(head.headers().firstValue("Content-Digest")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRangeCarriesTheWholeObjectsDigest(Engine engine) throws Exception {
    try (RedirectingApp app = app(engine)) {
      // First: the digest comes from the HeadObject the planner sends for several ranges.
      HttpResponse<byte[]> several = send(app, "GET", "sha256.bin", "Range", "bytes=0-9,1000-1009");
      assertThat(several.statusCode()).isEqualTo(206);
      assertThat(several.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("multipart/byteranges"));
      assertThat(several.headers().firstValue("Repr-Digest")).hasValue(sha256());

      HttpResponse<byte[]> plain = send(app, "GET", "sha256.bin", "Range", "bytes=100-199");
      assertThat(plain.statusCode()).isEqualTo(206);
      assertThat(plain.body()).isEqualTo(Arrays.copyOfRange(OBJECT, 100, 200));
      assertThat(plain.headers().firstValue("Repr-Digest")).hasValue(sha256());
      assertThat(plain.headers().firstValue("Content-Digest")).isEmpty();

      HttpResponse<byte[]> asked =
          send(
              app,
              "GET",
              "sha256.bin",
              "Range",
              "bytes=200-299",
              "Want-Repr-Digest",
              "sha-256=1",
              "Want-Content-Digest",
              "sha-256=1");
      assertThat(asked.statusCode()).isEqualTo(206);
      assertThat(asked.body()).isEqualTo(Arrays.copyOfRange(OBJECT, 200, 300));
      assertThat(asked.headers().firstValue("Repr-Digest")).hasValue(sha256());
      assertThat(asked.headers().firstValue("Content-Digest")).isEmpty();

      HttpResponse<byte[]> refused =
          send(app, "GET", "sha256.bin", "Range", "bytes=0-9", "Want-Repr-Digest", "sha-256=0");
      assertThat(refused.statusCode()).isEqualTo(206);
      assertThat(refused.headers().firstValue("Repr-Digest")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aCrc32cOnlyToAClientThatAsksForIt(Engine engine) throws Exception {
    try (RedirectingApp app = app(engine)) {
      assertThat(send(app, "GET", "crc32c.bin").headers().firstValue("Repr-Digest")).isEmpty();

      HttpResponse<byte[]> asked = send(app, "GET", "crc32c.bin", "Want-Repr-Digest", "crc32c=3");
      assertThat(asked.body()).isEqualTo(OBJECT);
      assertThat(asked.headers().firstValue("Repr-Digest")).hasValue(crc32c());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void noChecksumOrACompositeOneGivesNoDigest(Engine engine) throws Exception {
    try (RedirectingApp app = app(engine)) {
      HttpResponse<byte[]> none = send(app, "GET", "none.bin", "Want-Repr-Digest", "sha-256=1");
      assertThat(none.body()).isEqualTo(OBJECT);
      assertThat(none.headers().firstValue("Repr-Digest")).isEmpty();

      HttpResponse<byte[]> multipart =
          send(app, "GET", "multipart.bin", "Want-Repr-Digest", "sha-256=1");
      assertThat(multipart.statusCode()).isEqualTo(200);
      assertThat(multipart.body()).hasSize(PART.length + 1024);
      assertThat(multipart.headers().firstValue("Repr-Digest")).isEmpty();
    }
  }
}
