package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.embedded.LoopbackTcpProxy;
import dev.s3redirect.embedded.SlowClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 13's proof on Tomcat, through Spring Boot with its defaults (non-blocking writes, the lean
 * engine): 2,000 clients that read one byte a second hold neither Tomcat's 50 request threads nor
 * the 20 pooled S3 connections, so that a normal client's 200 requests all succeed meanwhile; S3
 * sends each stalled client less than 1 MiB; those that read on finish byte-exact, and those that
 * hang up free everything.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = TomcatSlowClientsIT.App.class,
    properties = {
      "s3-redirect.allow=" + TomcatSlowClientsIT.BUCKET,
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "s3-redirect.s3.max-connections=20",
      "s3-redirect.s3.receive-buffer-size=128KB",
      "server.tomcat.threads.max=50",
      "server.tomcat.max-connections=4000",
      "server.tomcat.accept-count=2000",
      "server.tomcat.connection-timeout=120s",
      "logging.level.org.gaul=WARN"
    })
@Timeout(240)
class TomcatSlowClientsIT {
  static final String BUCKET = "slow";
  static final int STALLED = 2000;
  static final int READ_ON = 100;
  static final int LARGE = 4 * 1024 * 1024;
  static final byte[] OBJECT = new byte[LARGE];

  static {
    new Random(22).nextBytes(OBJECT);
  }

  static EmbeddedS3Server s3;
  static LoopbackTcpProxy relay;
  static final List<S3RedirectEvent> EVENTS = new CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> relay.endpoint().toString());
  }

  @BeforeAll
  static void start() throws IOException {
    s3 = EmbeddedS3Server.start();
    relay = new LoopbackTcpProxy(s3.endpoint());
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(b -> b.bucket(BUCKET).key("large.bin"), RequestBody.fromBytes(OBJECT));
      admin.putObject(
          b -> b.bucket(BUCKET).key("medium.bin"),
          RequestBody.fromBytes(Arrays.copyOf(OBJECT, 1024 * 1024)));
      admin.putObject(
          b -> b.bucket(BUCKET).key("small.bin"),
          RequestBody.fromBytes(Arrays.copyOf(OBJECT, 4096)));
    }
  }

  @AfterAll
  static void stop() throws IOException {
    relay.close();
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
    ResponseEntity<Void> file(@PathVariable String key) {
      return S3Redirects.to(S3Location.of(BUCKET, key));
    }
  }

  @LocalServerPort int port;

  @Autowired ApplicationContext context;

  /**
   * Sets the send buffer of Tomcat's sockets to what a connection over a real network has. On
   * loopback (64 KiB segments) Linux grows it to megabytes even for a client that stopped reading:
   * bytes S3 then sent and the filter passed on, and a socket that keeps becoming writable again.
   * By reflection, since the Spring Boot classes that lead to the connector moved between 3.5 and
   * 4.x.
   */
  @BeforeEach
  void realisticSendBuffer() throws ReflectiveOperationException {
    Object webServer = context.getClass().getMethod("getWebServer").invoke(context);
    Tomcat tomcat = (Tomcat) webServer.getClass().getMethod("getTomcat").invoke(webServer);
    tomcat.getConnector().setProperty("socket.txBufSize", "65536");
  }

  @Test
  void twoThousandSlowClientsHoldNeitherThreadsNorConnections() throws Exception {
    long t0 = System.nanoTime();
    try (SlowClients slow = SlowClients.connect(port, "/files/large.bin", STALLED, 16384)) {
      assertThat(slow.awaitHeads(Duration.ofSeconds(90)))
          .hasSize(STALLED)
          .allMatch(status -> status.startsWith("HTTP/1.1 200"));
      slow.trickle();
      long perStalled = relay.bytesFromServer() / STALLED;
      System.out.printf(
          "heads after %d ms; bytes from S3 per stalled client: %d%n",
          (System.nanoTime() - t0) / 1_000_000, perStalled);

      AtomicBoolean normalDone = new AtomicBoolean();
      CompletableFuture<List<String>> normal =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return normalClient();
                } finally {
                  normalDone.set(true);
                }
              });
      while (!normalDone.get()) {
        Thread.sleep(1000);
        slow.trickle();
      }
      System.out.printf("normal client after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(normal.get()).as("normal requests that failed").isEmpty();
      assertThat(perStalled).as("bytes from S3 per stalled client").isLessThan(1024 * 1024);

      assertThat(slow.readToTheEnd(READ_ON, LARGE, OBJECT, Duration.ofSeconds(60)))
          .isEqualTo(READ_ON);
      System.out.printf("read on after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      slow.hangUp();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (EVENTS.size() < STALLED + 200 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(EVENTS).hasSize(STALLED + 200);
      assertThat(EVENTS.stream().filter(e -> e.outcome() == S3RedirectEvent.Outcome.SERVED))
          .hasSize(200 + READ_ON);
      assertThat(EVENTS.stream().filter(e -> e.outcome() == S3RedirectEvent.Outcome.CLIENT_ABORTED))
          .hasSize(STALLED - READ_ON);
    }
    // Every pooled connection is free: 20 downloads at once all succeed.
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<byte[]>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(
          http.sendAsync(
                  HttpRequest.newBuilder(uri("/files/medium.bin")).build(),
                  BodyHandlers.ofByteArray())
              .thenApply(HttpResponse::body));
    }
    for (CompletableFuture<byte[]> body : all) {
      assertThat(body.get()).isEqualTo(Arrays.copyOf(OBJECT, 1024 * 1024));
    }
  }

  private List<String> normalClient() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int length = i % 2 == 1 ? 1024 * 1024 : 4096;
      try {
        HttpResponse<byte[]> response =
            http.send(
                HttpRequest.newBuilder(
                        uri(length > 4096 ? "/files/medium.bin" : "/files/small.bin"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                BodyHandlers.ofByteArray());
        if (response.statusCode() != 200
            || !Arrays.equals(response.body(), Arrays.copyOf(OBJECT, length))) {
          failures.add(i + ": " + response.statusCode());
        }
      } catch (Exception e) {
        failures.add(i + ": " + e);
      }
    }
    return failures;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
