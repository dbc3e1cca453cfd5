package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.embedded.LoopbackTcpProxy;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lean engine when S3 misbehaves, through a fault-injecting TCP relay in front of S3Proxy:
 * bounded retries before the first byte only, timeouts per phase, and a connection pool that stays
 * healthy because aborted downloads are dropped, never drained.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class LeanS3ObjectStoreFaultsIT {

  private static final String BUCKET = "faults";
  private static final int MIB = 1024 * 1024;
  private static final byte[] MEDIUM = random(4 * MIB, 1);
  private static final int BIG_SIZE = 50 * MIB;

  private EmbeddedS3Server server;
  private LoopbackTcpProxy relay;

  @BeforeAll
  void start() {
    server = EmbeddedS3Server.start();
    try (S3Client client = server.clientBuilder().build()) {
      client.createBucket(b -> b.bucket(BUCKET));
      client.putObject(b -> b.bucket(BUCKET).key("medium"), RequestBody.fromBytes(MEDIUM));
      client.putObject(
          b -> b.bucket(BUCKET).key("big"), RequestBody.fromBytes(random(BIG_SIZE, 2)));
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void startRelay() throws IOException {
    relay = new LoopbackTcpProxy(server.endpoint());
  }

  @AfterEach
  void stopRelay() throws IOException {
    relay.close();
  }

  private LeanS3ObjectStore.Builder through(URI endpoint) {
    return LeanS3ObjectStore.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
        .connectTimeout(Duration.ofSeconds(2))
        .firstByteTimeout(Duration.ofSeconds(20));
  }

  private static ObjectRequest read(String key) {
    return ObjectRequest.of(S3Location.of(BUCKET, key));
  }

  private static ObjectStoreException failure(ThrowingCall call) {
    try {
      call.run();
    } catch (ObjectStoreException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected an ObjectStoreException", e);
    }
    throw new AssertionError("expected an ObjectStoreException, but the call succeeded");
  }

  @Test
  void aRefusedConnectionIsRetriedThenUnavailable() throws Exception {
    relay.refuseConnections();
    try (LeanS3ObjectStore store = through(relay.endpoint()).build()) {
      long start = System.nanoTime();

      ObjectStoreException e = failure(() -> store.get(read("medium")));

      assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
      assertThat(e.getMessage()).contains("after 3 attempts").contains("Connection refused");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aServerErrorIsRetriedThenUnavailable() throws Exception {
    relay.answerWith(
        500,
        "Internal Server Error",
        "application/xml",
        "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message>"
            + "</Error>");
    try (LeanS3ObjectStore store = through(relay.endpoint()).build()) {

      ObjectStoreException e = failure(() -> store.get(read("medium")));

      assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
      assertThat(e.getMessage())
          .isEqualTo(
              "GetObject s3://faults/medium failed after 3 attempts: HTTP 500, S3 error"
                  + " InternalError (We encountered an internal error.), request id"
                  + " 4442587FB7D0A2F9");
      assertThat(relay.connections()).isEqualTo(3);
    }
  }

  @Test
  void retriesAreBoundedByMaxAttempts() throws Exception {
    relay.answerWith(500, "Internal Server Error", "application/xml", "<Error/>");
    try (LeanS3ObjectStore store = through(relay.endpoint()).maxAttempts(1).build()) {

      ObjectStoreException e = failure(() -> store.head(S3Location.of(BUCKET, "medium")));

      assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
      assertThat(relay.connections()).isEqualTo(1);
    }
  }

  @Test
  void retriesNeverOutlastTheFirstByteBudget() throws Exception {
    relay.answerWith(500, "Internal Server Error", "application/xml", "<Error/>");
    try (LeanS3ObjectStore store =
        through(relay.endpoint())
            .maxAttempts(10)
            .firstByteTimeout(Duration.ofMillis(500))
            .build()) {
      long start = System.nanoTime();

      ObjectStoreException e = failure(() -> store.get(read("medium")));

      // The last failure is reported, not a timeout: the next back-off would not have fitted.
      assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
      assertThat(relay.connections()).isLessThan(10);
    }
  }

  @Test
  void slowDownIsRetriedThenThrottled() throws Exception {
    relay.answerWith(
        503,
        "Slow Down",
        "application/xml",
        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
    try (LeanS3ObjectStore store = through(relay.endpoint()).build()) {

      ObjectStoreException e = failure(() -> store.get(read("medium")));

      assertThat(e.failure()).isEqualTo(Failure.THROTTLED);
      assertThat(e.getMessage()).contains("after 3 attempts: HTTP 503, S3 error SlowDown");
      assertThat(relay.connections()).isEqualTo(3);
    }
  }

  @Test
  void aStallBeforeTheHeadTimesOutWithinTheFirstByteTimeout() throws Exception {
    relay.stall();
    try (LeanS3ObjectStore store =
        through(relay.endpoint())
            .firstByteTimeout(Duration.ofMillis(1500))
            .idleReadTimeout(Duration.ofSeconds(30))
            .build()) {
      long start = System.nanoTime();

      ObjectStoreException get = failure(() -> store.get(read("medium")));
      Duration getTook = Duration.ofNanos(System.nanoTime() - start);
      start = System.nanoTime();
      ObjectStoreException head = failure(() -> store.head(S3Location.of(BUCKET, "medium")));
      Duration headTook = Duration.ofNanos(System.nanoTime() - start);

      assertThat(get.failure()).isEqualTo(Failure.TIMEOUT);
      assertThat(head.failure()).isEqualTo(Failure.TIMEOUT);
      assertThat(get.getCause()).isInstanceOf(SocketTimeoutException.class);
      assertThat(getTook).isBetween(Duration.ofMillis(1400), Duration.ofMillis(2500));
      assertThat(headTook).isBetween(Duration.ofMillis(1400), Duration.ofMillis(2500));
    }
  }

  /**
   * Once the head has arrived, a silent S3 fails the read at the idle-read timeout, whether the
   * first-byte budget is longer or shorter.
   */
  @ParameterizedTest(name = "first-byte timeout {0} ms, idle-read timeout {1} ms")
  @CsvSource({"20000, 1000", "500, 2000"})
  void aStallInTheBodyFailsTheReadAtTheIdleReadTimeout(long firstByteMillis, long idleReadMillis)
      throws Exception {
    relay.stallResponsesAfter(256 * 1024);
    try (LeanS3ObjectStore store =
        through(relay.endpoint())
            .firstByteTimeout(Duration.ofMillis(firstByteMillis))
            .idleReadTimeout(Duration.ofMillis(idleReadMillis))
            .build()) {
      ObjectContent content = ((GetResult.Found) store.get(read("medium"))).content();
      long start = System.nanoTime();
      try {
        assertThatThrownBy(() -> content.body().readAllBytes())
            .isInstanceOf(SocketTimeoutException.class);
      } finally {
        content.abort();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(
              Duration.ofMillis(idleReadMillis - 100), Duration.ofMillis(idleReadMillis + 3000));
    }
  }

  @Test
  void aResetInTheBodyFailsTheRead() throws Exception {
    relay.cutResponsesAfter(256 * 1024);
    try (LeanS3ObjectStore store = through(relay.endpoint()).build()) {
      ObjectContent content = ((GetResult.Found) store.get(read("medium"))).content();
      try {
        assertThatThrownBy(() -> content.body().readAllBytes()).isInstanceOf(IOException.class);
      } finally {
        content.abort();
      }
    }
  }

  @Test
  void theFirstByteTimeoutDoesNotLimitASlowDownload() throws Exception {
    try (LeanS3ObjectStore store =
        through(server.endpoint())
            .firstByteTimeout(Duration.ofMillis(300))
            .idleReadTimeout(Duration.ofSeconds(5))
            .build()) {
      ObjectContent content = ((GetResult.Found) store.get(read("medium"))).content();
      long start = System.nanoTime();
      byte[] body = new byte[MEDIUM.length];
      int read = 0;
      InputStream in = content.body();
      while (read < body.length) {
        int n = in.read(body, read, Math.min(256 * 1024, body.length - read));
        assertThat(n).isPositive();
        read += n;
        Thread.sleep(60);
      }
      assertThat(in.read()).isEqualTo(-1);
      content.close();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
      assertThat(body).isEqualTo(MEDIUM);
    }
  }

  @Test
  void abortedDownloadsAreDroppedNotDrainedAndThePoolStaysHealthy() throws Exception {
    try (LeanS3ObjectStore store =
        through(relay.endpoint())
            .maxConnections(2)
            .connectionAcquisitionTimeout(Duration.ofSeconds(2))
            .build()) {
      byte[] buffer = new byte[64 * 1024];
      for (int i = 0; i < 20; i++) {
        ObjectContent content = ((GetResult.Found) store.get(read("big"))).content();
        long read = 0;
        while (read < MIB) {
          read += content.body().read(buffer);
        }
        content.abort();
      }
      long relayedByAborts = relay.bytesFromServer();
      long connectionsAfterAborts = relay.connections();

      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        ObjectContent content = ((GetResult.Found) store.get(read("medium"))).content();
        byte[] body = content.body().readAllBytes();
        content.close();
        assertThat(Arrays.equals(body, MEDIUM)).as("download %d", i).isTrue();
      }
      Duration fullDownloads = Duration.ofNanos(System.nanoTime() - start);
      System.out.println(
          "CALIBRATE relayed="
              + relayedByAborts
              + " full="
              + fullDownloads
              + " conns="
              + relay.connections());

      // Each abort costs the 1 MiB read plus what the sockets buffered, never the other 49 MiB.
      assertThat(relayedByAborts)
          .as("bytes relayed for 20 downloads of 50 MiB aborted after 1 MiB")
          .isLessThan(20L * 8 * MIB);
      assertThat(connectionsAfterAborts).isEqualTo(20);
      assertThat(fullDownloads).isLessThan(Duration.ofSeconds(30));
      // Read to their end and closed, the downloads gave their connections back: two at most.
      assertThat(relay.connections() - connectionsAfterAborts).isBetween(1L, 2L);
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A store call that may fail. */
  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }
}
