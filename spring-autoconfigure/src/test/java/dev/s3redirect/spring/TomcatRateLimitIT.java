package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.embedded.PacedReader;
import dev.s3redirect.embedded.PacedReader.Reading;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Rate limits on Tomcat through Spring Boot with its defaults (non-blocking writes, the lean
 * engine): {@code s3-redirect.rate-limit} paces every body, a response's {@code
 * X-S3-Redirect-Limit-Rate} overrides it and never reaches the client, and forty paced downloads
 * share 16 threads and 8 S3 connections, each one finishing byte-exact.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = TomcatRateLimitIT.App.class,
    properties = {
      "s3-redirect.allow=" + TomcatRateLimitIT.BUCKET,
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "s3-redirect.s3.max-connections=8",
      "s3-redirect.rate-limit=256KB",
      "s3-redirect.rate-limit-burst=64KB",
      "server.tomcat.threads.max=16",
      "logging.level.org.gaul=WARN"
    })
@Timeout(120)
class TomcatRateLimitIT {
  static final String BUCKET = "paced";
  static final long RATE = 256 * 1024;
  static final long BURST = 64 * 1024;
  static final byte[] OBJECT = new byte[512 * 1024];

  static {
    new Random(23).nextBytes(OBJECT);
  }

  static EmbeddedS3Server s3;
  static final List<S3RedirectEvent> EVENTS = new CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> s3.endpoint().toString());
  }

  @BeforeAll
  static void start() throws IOException {
    s3 = EmbeddedS3Server.start();
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(b -> b.bucket(BUCKET).key("one.bin"), RequestBody.fromBytes(OBJECT));
    }
  }

  @AfterAll
  static void stop() throws IOException {
    s3.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Files.class)
  static class App {
    @Bean
    S3RedirectClientCustomizer embeddedS3Credentials() {
      return EmbeddedS3Credentials.of(s3);
    }

    @Bean
    S3RedirectListener recording() {
      return EVENTS::add;
    }
  }

  @RestController
  static class Files {
    @GetMapping("/files/{key}")
    ResponseEntity<Void> file(
        @PathVariable String key, @RequestParam(required = false) String limitRate) {
      var response =
          ResponseEntity.ok().header("X-S3-Redirect", S3Location.of(BUCKET, key).toHeaderValue());
      if (limitRate != null) {
        response.header("X-S3-Redirect-Limit-Rate", limitRate);
      }
      return response.build();
    }
  }

  @LocalServerPort int port;

  /**
   * Waits until no event has come for 300 ms: an exchange is reported after its client has the last
   * byte, so the previous test's last event may still be on its way.
   */
  @BeforeEach
  void settle() throws InterruptedException {
    int size;
    do {
      size = EVENTS.size();
      Thread.sleep(300);
    } while (EVENTS.size() != size);
    EVENTS.clear();
  }

  static void assertPacedAt(Reading reading, long rate) {
    long quantum = Math.max(512, rate / 4);
    double floorSeconds = (reading.body().length - BURST - quantum) / (double) rate;
    assertThat((reading.doneNanos() - reading.afterBurstNanos()) / 1e9)
        .as("seconds after the burst")
        .isGreaterThanOrEqualTo(floorSeconds);
    assertThat(reading.rateAfter(BURST)).as("bytes per second").isGreaterThan(rate * 0.5);
  }

  @Test
  void theConfiguredRatePacesTheBody() throws Exception {
    Reading reading = PacedReader.read(port, "/files/one.bin", 8192, 0, BURST);

    assertThat(reading.status()).isEqualTo(200);
    assertThat(reading.body()).isEqualTo(OBJECT);
    assertThat(reading.header("X-S3-Redirect-Limit-Rate")).isNull();
    assertPacedAt(reading, RATE);
  }

  @Test
  void theResponsesOwnLimitWinsAndNeverReachesTheClient() throws Exception {
    Reading faster = PacedReader.read(port, "/files/one.bin?limitRate=524288", 8192, 0, BURST);
    assertThat(faster.body()).isEqualTo(OBJECT);
    assertThat(faster.header("X-S3-Redirect-Limit-Rate")).isNull();
    assertPacedAt(faster, 524288);

    Reading unlimited = PacedReader.read(port, "/files/one.bin?limitRate=off", 8192, 0, BURST);
    assertThat(unlimited.body()).isEqualTo(OBJECT);
    assertThat((unlimited.doneNanos() - unlimited.afterBurstNanos()) / 1e9).isLessThan(1.0);

    Reading range =
        PacedReader.read(port, "/files/one.bin", 8192, 0, BURST, "Range: bytes=0-393215");
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(Arrays.copyOf(OBJECT, 393216));
    assertPacedAt(range, RATE);
  }

  @Test
  void fortyPacedDownloadsShareSixteenThreadsAndEightConnections() throws Exception {
    int clients = 40;
    assertThat(PacedReader.readAtOnce(clients, port, "/files/one.bin", BURST))
        .allSatisfy(reading -> assertThat(reading.body()).isEqualTo(OBJECT));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (EVENTS.size() < clients && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(EVENTS)
        .hasSize(clients)
        .allMatch(e -> e.outcome() == S3RedirectEvent.Outcome.SERVED);
  }
}
