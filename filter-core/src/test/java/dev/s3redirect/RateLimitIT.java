package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.embedded.PacedReader;
import dev.s3redirect.embedded.PacedReader.Reading;
import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.LogCapture;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.StoreOptions;
import java.net.URLEncoder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Per-response rate limits on Jetty, measured by a client on the wire: the default and the
 * application's {@code X-S3-Redirect-Limit-Rate} pace 200 and 206 bodies in both write modes, the
 * header never reaches the client, the burst goes at once, and paced non-blocking downloads hold no
 * thread while they wait.
 *
 * <p>The rates are asserted from both sides: never faster than the limit allows (what a limit
 * promises), and not much slower, with room for a loaded machine.
 */
@Timeout(180)
class RateLimitIT {

  static final String BUCKET = "paced";
  static final int SIZE = 512 * 1024;
  static final long RATE = 256 * 1024;
  static final long BURST = 64 * 1024;
  static final byte[] OBJECT = new byte[SIZE];

  static S3Backend backend;
  static S3Client admin;

  @BeforeAll
  static void start() {
    new Random(16).nextBytes(OBJECT);
    backend = new S3ProxyBackend();
    admin = backend.clientBuilder(backend.endpoint()).build();
    admin.createBucket(b -> b.bucket(BUCKET));
    admin.putObject(b -> b.bucket(BUCKET).key("one.bin"), RequestBody.fromBytes(OBJECT));
    admin.putObject(
        b -> b.bucket(BUCKET).key("small.bin"),
        RequestBody.fromBytes(Arrays.copyOf(OBJECT, 32 * 1024)));
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    backend.close();
  }

  static String path(String key, String query) {
    return "/app/x?redirect="
        + URLEncoder.encode(S3Location.of(BUCKET, key).toHeaderValue(), UTF_8)
        + query;
  }

  static RedirectingApp app(WriteMode mode, long defaultRate, int maxThreads) throws Exception {
    return app(mode, defaultRate, maxThreads, StoreOptions.defaults().maxConnections());
  }

  static RedirectingApp app(WriteMode mode, long defaultRate, int maxThreads, int connections)
      throws Exception {
    CountingStore store =
        Engine.LEAN.open(
            backend, backend.endpoint(), StoreOptions.defaults().withMaxConnections(connections));
    S3RedirectSettings settings =
        S3RedirectSettings.builder()
            .allow(BUCKET)
            .writeMode(mode)
            .rateLimit(defaultRate)
            .rateLimitBurst(BURST)
            .build();
    return new RedirectingApp(store, settings, event -> {}, Duration.ofSeconds(60), maxThreads)
        .closing(store);
  }

  /** Never faster than the limit allows after the burst; not far below it either. */
  static void assertPacedAt(Reading reading, long rate) {
    // After the burst, at most one quantum more than the rate allows over the time measured.
    long quantum = RatePacer.quantum(rate);
    double floorSeconds = (reading.body().length - BURST - quantum) / (double) rate;
    assertThat((reading.doneNanos() - reading.afterBurstNanos()) / 1e9)
        .as("seconds after the burst")
        .isGreaterThanOrEqualTo(floorSeconds);
    assertThat(reading.rateAfter(BURST)).as("bytes per second").isGreaterThan(rate * 0.5);
    System.out.printf(
        "paced at %d B/s: %.0f B/s after the burst (%.3f of the limit)%n",
        rate, reading.rateAfter(BURST), reading.rateAfter(BURST) / rate);
  }

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void theDefaultPacesTheWholeBodyAndTheHeaderNeverReachesTheClient(WriteMode mode)
      throws Exception {
    try (RedirectingApp app = app(mode, RATE, 64)) {
      Reading reading = PacedReader.read(app.port(), path("one.bin", ""), 8192, 0, BURST);

      assertThat(reading.status()).isEqualTo(200);
      assertThat(reading.body()).isEqualTo(OBJECT);
      assertThat(reading.header("X-S3-Redirect-Limit-Rate")).isNull();
      assertThat(reading.header("X-S3-Redirect")).isNull();
      assertPacedAt(reading, RATE);
    }
  }

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void theApplicationsLimitOverridesTheDefault(WriteMode mode) throws Exception {
    try (RedirectingApp app = app(mode, 0, 64)) {
      Reading paced =
          PacedReader.read(app.port(), path("one.bin", "&limitRate=524288"), 8192, 0, BURST);
      assertThat(paced.body()).isEqualTo(OBJECT);
      assertThat(paced.header("X-S3-Redirect-Limit-Rate")).isNull();
      assertPacedAt(paced, 524288);
    }
    try (RedirectingApp app = app(mode, RATE, 64)) {
      for (String off : List.of("0", "off")) {
        Reading unlimited =
            PacedReader.read(app.port(), path("one.bin", "&limitRate=" + off), 8192, 0, BURST);
        assertThat(unlimited.body()).isEqualTo(OBJECT);
        // Paced at the default it would take 1.75 s after the burst.
        assertThat((unlimited.doneNanos() - unlimited.afterBurstNanos()) / 1e9)
            .as("seconds for an unlimited body")
            .isLessThan(1.0);
      }
    }
  }

  @Test
  void aRangeIsPacedAndABodyWithinTheBurstGoesAtOnce() throws Exception {
    try (RedirectingApp app = app(WriteMode.NON_BLOCKING, RATE, 64)) {
      Reading range =
          PacedReader.read(
              app.port(), path("one.bin", ""), 8192, 0, BURST, "Range: bytes=100000-456287");
      assertThat(range.status()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(OBJECT, 100000, 456288));
      assertPacedAt(range, RATE);

      Reading small = PacedReader.read(app.port(), path("small.bin", ""), 8192, 0, BURST);
      assertThat(small.body()).isEqualTo(Arrays.copyOf(OBJECT, 32 * 1024));
      assertThat((small.doneNanos() - small.firstByteNanos()) / 1e9).isLessThan(1.0);
    }
  }

  @Test
  void aValueThatIsNotARateIsLoggedAndTheDefaultApplies() throws Exception {
    try (RedirectingApp app = app(WriteMode.NON_BLOCKING, RATE, 64);
        LogCapture log = LogCapture.ofTheFilter()) {
      Reading reading =
          PacedReader.read(app.port(), path("one.bin", "&limitRate=fast"), 8192, 0, BURST);

      assertThat(reading.body()).isEqualTo(OBJECT);
      assertPacedAt(reading, RATE);
      assertThat(log.atOrAbove(Level.WARN))
          .singleElement()
          .asString()
          .contains("X-S3-Redirect-Limit-Rate", "\"fast\"", "/one.bin", "262144 B/s");
    }
  }

  @Test
  void aClientSlowerThanTheLimitGetsEveryByteAtItsOwnPace() throws Exception {
    try (RedirectingApp app = app(WriteMode.NON_BLOCKING, RATE, 64)) {
      Reading reading = PacedReader.read(app.port(), path("one.bin", ""), 4096, RATE / 2, BURST);

      assertThat(reading.body()).isEqualTo(OBJECT);
      assertThat(reading.rateAfter(BURST)).isLessThan(RATE * 0.55);
    }
  }

  /**
   * Sixty paced downloads at once on a container of 16 threads: all of them receive bytes before
   * any has finished, which blocking waits would not allow. (Each holds an S3 connection while it
   * is paced, as a slow client does: the pool is sized for them.)
   */
  @Test
  void pacedNonBlockingDownloadsHoldNoThreadWhileTheyWait() throws Exception {
    int clients = 60;
    try (RedirectingApp app = app(WriteMode.NON_BLOCKING, RATE, 16, clients)) {
      List<Reading> readings =
          PacedReader.readAtOnce(clients, app.port(), path("one.bin", ""), BURST);
      assertThat(readings).allSatisfy(r -> assertThat(r.body()).isEqualTo(OBJECT));
      // Readers started at slightly different times: compare on one clock.
      long lastFirstByte = 0;
      long firstDone = Long.MAX_VALUE;
      for (Reading r : readings) {
        lastFirstByte = Math.max(lastFirstByte, r.startNanos() + r.afterBurstNanos());
        firstDone = Math.min(firstDone, r.startNanos() + r.doneNanos());
      }
      assertThat(lastFirstByte)
          .as("every download past its burst before the first one finished")
          .isLessThan(firstDone);
    }
  }

  /**
   * Sixty paced downloads at once on 16 threads and 8 S3 connections: paced bodies that held their
   * connections through their pauses would leave the requests waiting for one holding every thread,
   * and themselves without a thread to go on. They give their connections up while others wait, and
   * every download finishes, byte-exact.
   */
  @Test
  void pacedDownloadsShareAScarcePoolAndEveryOneFinishes() throws Exception {
    int clients = 60;
    try (RedirectingApp app = app(WriteMode.NON_BLOCKING, RATE, 16, 8)) {
      assertThat(PacedReader.readAtOnce(clients, app.port(), path("one.bin", ""), BURST))
          .allSatisfy(reading -> assertThat(reading.body()).isEqualTo(OBJECT));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (app.events().size() < clients && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(app.events())
          .hasSize(clients)
          .allMatch(e -> e.outcome() == S3RedirectEvent.Outcome.SERVED);
    }
  }
}
