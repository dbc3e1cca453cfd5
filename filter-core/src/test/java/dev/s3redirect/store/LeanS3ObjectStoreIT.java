package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lean engine against S3Proxy (SigV4 on): every answer compared with the SDK store's answer to
 * the same question. S3Proxy's quirks: keys with empty segments are rejected, and a key ending in
 * {@code /} reads as an empty directory marker (both are covered by {@link
 * LeanS3ObjectStoreWireIT}); an {@code If-Modified-Since} equal to Last-Modified answers 200; a 304
 * carries only the ETag; {@code Content-Type} parameters lose their spaces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeanS3ObjectStoreIT {

  private static final String BUCKET = "lean";
  private static final byte[] PLAIN = random(10_000);

  private EmbeddedS3Server server;
  private S3Client client;
  private S3ObjectStore sdk;
  private LeanS3ObjectStore lean;
  private ObjectMetadata plain;

  @BeforeAll
  void start() throws ObjectStoreException {
    server = EmbeddedS3Server.start();
    client = server.clientBuilder().build();
    client.createBucket(b -> b.bucket(BUCKET));
    client.putObject(b -> b.bucket(BUCKET).key("plain.bin"), RequestBody.fromBytes(PLAIN));
    client.putObject(
        b ->
            b.bucket(BUCKET)
                .key("meta.txt")
                .contentType("text/markdown")
                .cacheControl("max-age=60")
                .contentDisposition("attachment; filename=\"m.txt\"")
                .contentLanguage("fr")
                .contentEncoding("identity")
                .expires(Instant.parse("2030-01-01T00:00:00Z")),
        RequestBody.fromString("metadata", StandardCharsets.UTF_8));
    sdk = new S3ObjectStore(client, Duration.ofSeconds(15));
    lean = LeanS3ObjectStore.builder().configureFrom(client).build();
    plain = lean.head(location("plain.bin"));
  }

  @AfterAll
  void stop() {
    lean.close();
    client.close();
    server.close();
  }

  private static S3Location location(String key) {
    return S3Location.of(BUCKET, key);
  }

  /** What a read came to, comparable across engines: the answer with the body read. */
  private record Outcome(GetResult answer, ObjectMetadata metadata, ByteRange part, byte[] body) {

    static Outcome of(GetResult result) throws IOException {
      if (result instanceof GetResult.Found found) {
        ObjectContent content = found.content();
        byte[] body = content.body().readAllBytes();
        content.close();
        return new Outcome(null, content.metadata(), content.part().orElse(null), body);
      }
      return new Outcome(result, null, null, null);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Outcome o
          && Objects.equals(answer, o.answer)
          && Objects.equals(metadata, o.metadata)
          && Objects.equals(part, o.part)
          && Arrays.equals(body, o.body);
    }

    @Override
    public int hashCode() {
      return Objects.hash(answer, metadata, part, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
      return "Outcome[answer="
          + answer
          + ", metadata="
          + metadata
          + ", part="
          + part
          + ", body="
          + (body == null ? null : body.length + " bytes")
          + "]";
    }
  }

  /** Reads with both engines and checks they agree; returns the lean engine's outcome. */
  private Outcome both(ObjectRequest request) throws Exception {
    Outcome leanOutcome = Outcome.of(lean.get(request));
    Outcome sdkOutcome = Outcome.of(sdk.get(request));
    assertThat(leanOutcome).isEqualTo(sdkOutcome);
    return leanOutcome;
  }

  @Nested
  class Reads {

    @Test
    void theWholeObject() throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")));

      assertThat(outcome.body()).isEqualTo(PLAIN);
      assertThat(outcome.part()).isNull();
      assertThat(outcome.metadata().contentLength()).isEqualTo(PLAIN.length);
      assertThat(outcome.metadata().eTag()).startsWith("\"");
      assertThat(outcome.metadata().lastModified()).isNotNull();
    }

    @ParameterizedTest(name = "{0} -> {1}-{2}")
    @CsvSource({
      "bytes=0-0, 0, 0",
      "bytes=10-19, 10, 19",
      "bytes=-5, 9995, 9999",
      "bytes=9990-, 9990, 9999",
      "bytes=0-999999, 0, 9999",
      "bytes=9999-9999, 9999, 9999",
    })
    void singleRanges(String range, long first, long last) throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withRange(range));

      assertThat(outcome.part()).isEqualTo(new ByteRange(first, last));
      assertThat(outcome.metadata().contentLength()).isEqualTo(PLAIN.length);
      assertThat(outcome.body()).isEqualTo(Arrays.copyOfRange(PLAIN, (int) first, (int) last + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=10000-", "bytes=20000-20010"})
    void rangesBeyondTheEndAreUnsatisfiable(String range) throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withRange(range));

      assertThat(outcome.answer()).isEqualTo(new GetResult.RangeNotSatisfiable());
    }

    @Test
    void metadataAsStored() throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("meta.txt")));

      ObjectMetadata metadata = outcome.metadata();
      assertThat(metadata.contentType()).isEqualTo("text/markdown");
      assertThat(metadata.cacheControl()).isEqualTo("max-age=60");
      assertThat(metadata.contentDisposition()).isEqualTo("attachment; filename=\"m.txt\"");
      assertThat(metadata.contentLanguage()).isEqualTo("fr");
      assertThat(metadata.contentEncoding()).isEqualTo("identity");
      assertThat(metadata.expires()).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    }

    @Test
    void headAgreesWithTheSdkStoreAndWithGet() throws Exception {
      ObjectMetadata head = lean.head(location("meta.txt"));

      assertThat(head).isEqualTo(sdk.head(location("meta.txt")));
      assertThat(head)
          .isEqualTo(Outcome.of(lean.get(ObjectRequest.of(location("meta.txt")))).metadata());
      assertThat(head.contentType()).isEqualTo("text/markdown");
      assertThat(head.expires()).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    }
  }

  @Nested
  class Conditions {

    @Test
    void ifMatchTheCurrentTagReads() throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withIfMatch(plain.eTag()));

      assertThat(outcome.body()).isEqualTo(PLAIN);
    }

    @Test
    void ifMatchAnotherTagFails() throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withIfMatch("\"other\""));

      assertThat(outcome.answer()).isEqualTo(new GetResult.PreconditionFailed());
    }

    @Test
    void ifNoneMatchTheCurrentTagIsNotModified() throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withIfNoneMatch(plain.eTag()));

      assertThat(outcome.answer()).isInstanceOf(GetResult.NotModified.class);
      assertThat(((GetResult.NotModified) outcome.answer()).eTag()).isEqualTo(plain.eTag());
    }

    @Test
    void ifNoneMatchAnotherTagReads() throws Exception {
      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withIfNoneMatch("\"other\""));

      assertThat(outcome.body()).isEqualTo(PLAIN);
    }

    @Test
    void ifModifiedSinceLaterIsNotModified() throws Exception {
      Instant later = plain.lastModified().plus(1, ChronoUnit.HOURS);

      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withIfModifiedSince(later));

      assertThat(outcome.answer()).isInstanceOf(GetResult.NotModified.class);
    }

    @Test
    void ifModifiedSinceEarlierReads() throws Exception {
      Instant earlier = plain.lastModified().minus(1, ChronoUnit.HOURS);

      Outcome outcome = both(ObjectRequest.of(location("plain.bin")).withIfModifiedSince(earlier));

      assertThat(outcome.body()).isEqualTo(PLAIN);
    }

    @Test
    void aRangeWithIfMatchReadsThePart() throws Exception {
      Outcome outcome =
          both(
              ObjectRequest.of(location("plain.bin"))
                  .withRange("bytes=100-199")
                  .withIfMatch(plain.eTag()));

      assertThat(outcome.part()).isEqualTo(new ByteRange(100, 199));
    }
  }

  @Nested
  class Keys {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
        strings = {
          "a b",
          "a+b",
          "100%",
          "100%25",
          "what?",
          "a#b",
          "semi;colon=&amp",
          "été/ü.txt",
          "日本語/ファイル",
          "emoji 😀",
          "dir/sub/file",
          "*star~tilde",
          "quote\"s'",
        })
    void roundTrip(String key) throws Exception {
      byte[] content = key.getBytes(StandardCharsets.UTF_8);
      client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));

      Outcome outcome = both(ObjectRequest.of(location(key)));

      assertThat(outcome.body()).isEqualTo(content);
      assertThat(lean.head(location(key)).contentLength()).isEqualTo(content.length);
    }
  }

  @Nested
  class Failures {

    private void fails(ObjectStoreTask task, Failure failure) {
      assertThatThrownBy(task::run)
          .isInstanceOfSatisfying(
              ObjectStoreException.class, e -> assertThat(e.failure()).isEqualTo(failure));
    }

    @Test
    void aMissingKeyIsNotFound() {
      fails(() -> lean.get(ObjectRequest.of(location("missing"))), Failure.NOT_FOUND);
      fails(() -> lean.head(location("missing")), Failure.NOT_FOUND);
    }

    @Test
    void aMissingBucketIsNotFound() {
      S3Location nowhere = S3Location.of("no-such-bucket", "k");

      fails(() -> lean.get(ObjectRequest.of(nowhere)), Failure.NOT_FOUND);
      fails(() -> lean.head(nowhere), Failure.NOT_FOUND);
    }

    @Test
    void aWrongSecretIsAccessDenied() {
      try (LeanS3ObjectStore wrong =
          LeanS3ObjectStore.builder()
              .configureFrom(client)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(server.accessKey(), "wrong-secret")))
              .build()) {
        fails(() -> wrong.get(ObjectRequest.of(location("plain.bin"))), Failure.ACCESS_DENIED);
        fails(() -> wrong.head(location("plain.bin")), Failure.ACCESS_DENIED);
        assertThatThrownBy(() -> wrong.get(ObjectRequest.of(location("plain.bin"))))
            .hasMessageContaining("SignatureDoesNotMatch")
            .hasMessageNotContaining("wrong-secret");
      }
    }
  }

  @Test
  void anonymousReadsFromAnAnonymousServer() throws Exception {
    S3Proxy open =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.NONE, null, null)
            .build();
    open.start();
    try {
      waitUntilStarted(open);
      URI endpoint = URI.create("http://127.0.0.1:" + open.getPort());
      try (S3Client anonymous =
              S3Client.builder()
                  .region(EmbeddedS3Server.REGION)
                  .endpointOverride(endpoint)
                  .forcePathStyle(true)
                  .credentialsProvider(AnonymousCredentialsProvider.create())
                  .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                  .build();
          LeanS3ObjectStore store = LeanS3ObjectStore.builder().configureFrom(anonymous).build()) {
        anonymous.createBucket(b -> b.bucket("open"));
        anonymous.putObject(b -> b.bucket("open").key("k"), RequestBody.fromString("public"));

        Outcome outcome = Outcome.of(store.get(ObjectRequest.of(S3Location.of("open", "k"))));

        assertThat(new String(outcome.body(), StandardCharsets.UTF_8)).isEqualTo("public");
      }
    } finally {
      open.stop();
    }
  }

  private static void waitUntilStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  /** A store call that may fail. */
  @FunctionalInterface
  private interface ObjectStoreTask {
    void run() throws Exception;
  }
}
