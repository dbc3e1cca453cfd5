package dev.s3redirect.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.ContentDisposition;
import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.embedded.EmbeddedS3Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Spring Boot application on a real port, with the auto-configuration as a user gets it: the S3
 * client built from {@code s3-redirect.s3.*} (credentials from a customizer), controllers that
 * answer synchronously, with {@link DeferredResult} and with {@link CompletableFuture}, and
 * Micrometer.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = S3RedirectEndToEndIT.App.class,
    properties = {
      "s3-redirect.allow=" + S3RedirectEndToEndIT.BUCKET + "/public/",
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "s3-redirect.s3.max-connections=8",
      "s3-redirect.s3.socket-timeout=10s",
      "logging.level.org.gaul=WARN"
    })
class S3RedirectEndToEndIT {
  static final String BUCKET = "e2e";
  static final String TEXT = "Streamed from S3 by the s3-redirect filter, not by the controller.\n";
  static final int LARGE = 32 * 1024 * 1024;

  static EmbeddedS3Server s3 = EmbeddedS3Server.start();

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> s3.endpoint().toString());
  }

  @BeforeAll
  static void objects() {
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(
          b -> b.bucket(BUCKET).key("public/hello.txt").contentType("text/plain; charset=utf-8"),
          RequestBody.fromString(TEXT, UTF_8));
      admin.putObject(
          b -> b.bucket(BUCKET).key("public/large.bin"), RequestBody.fromBytes(new byte[LARGE]));
      admin.putObject(b -> b.bucket(BUCKET).key("private/secret.txt"), RequestBody.fromString("s"));
    }
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(FilesController.class)
  static class App {

    @Bean
    S3RedirectClientCustomizer embeddedS3Credentials() {
      return EmbeddedS3Credentials.of(s3);
    }

    @Bean
    SimpleMeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    RecordingListener recordingListener() {
      return new RecordingListener();
    }
  }

  /** An application's own listener, told of everything next to the metrics. */
  static final class RecordingListener implements S3RedirectListener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onStreamStarted(S3Location location) {
      calls.add("start " + location);
    }

    @Override
    public void onEvent(S3RedirectEvent event) {
      calls.add("event " + event.location() + " " + event.outcome());
    }
  }

  @RestController
  static class FilesController {

    private static S3Location object(String key) {
      return S3Location.of(BUCKET, key.substring(1));
    }

    @GetMapping("/sync/{*key}")
    ResponseEntity<Void> sync(@PathVariable String key) {
      return S3Redirects.to(object(key));
    }

    @GetMapping("/deferred/{*key}")
    DeferredResult<ResponseEntity<Void>> deferred(@PathVariable String key) {
      DeferredResult<ResponseEntity<Void>> result = new DeferredResult<>(10_000L);
      CompletableFuture.runAsync(() -> result.setResult(S3Redirects.to(object(key))));
      return result;
    }

    @GetMapping("/future/{*key}")
    CompletableFuture<ResponseEntity<Void>> future(@PathVariable String key) {
      return CompletableFuture.supplyAsync(() -> S3Redirects.to(object(key)));
    }

    @GetMapping("/download/{*key}")
    ResponseEntity<Void> download(@PathVariable String key) {
      return S3Redirects.attachment(object(key), "relevé été.txt");
    }

    @GetMapping("/with-body/{*key}")
    ResponseEntity<String> withBody(@PathVariable String key) {
      return S3Redirects.ok(object(key)).body("the controller's own body, never sent");
    }
  }

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;
  @Autowired RecordingListener listener;
  @Autowired S3Client client;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        BodyHandlers.ofString());
  }

  private double requests(String outcome, String status) {
    var counter =
        meters
            .find(S3RedirectMetrics.REQUESTS)
            .tags("outcome", outcome, "status", status)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double active() {
    return meters.get(S3RedirectMetrics.STREAMS_ACTIVE).gauge().value();
  }

  /** The filter reports after the last byte: a client can hold the body before the metrics move. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void usesTheClientItBuiltFromTheProperties() {
    assertThat(client.serviceClientConfiguration().endpointOverride()).hasValue(s3.endpoint());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void streamsTheObjectAndStripsTheHeader(String controller) throws Exception {
    HttpResponse<String> response = get(controller + "/public/hello.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(TEXT);
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(TEXT.getBytes(UTF_8).length));
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .as("the object's Content-Type, as the container writes it")
        .startsWith("text/plain");
    assertThat(response.headers().firstValue("ETag")).isPresent();
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.equalsIgnoreCase("X-S3-Redirect"));
  }

  @Test
  void discardsTheControllersOwnBody() throws Exception {
    assertThat(get("/with-body/public/hello.txt").body()).isEqualTo(TEXT);
  }

  @Test
  void namesTheDownload() throws Exception {
    HttpResponse<String> response = get("/download/public/hello.txt");

    assertThat(response.body()).isEqualTo(TEXT);
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValue(ContentDisposition.attachment("relevé été.txt"));
  }

  @Test
  void refusesWhatIsNotAllowed() throws Exception {
    HttpResponse<String> response = get("/sync/private/secret.txt");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).doesNotContain("s");
  }

  @Test
  void recordsMetricsAndTellsTheApplicationsListener() throws Exception {
    double served = requests("served", "200");
    var bytes = meters.get(S3RedirectMetrics.BYTES_SENT).summary();
    double bytesBefore = bytes.totalAmount();
    long timedBefore = meters.get(S3RedirectMetrics.TIME_TO_FIRST_BYTE).timer().count();
    double notFound = requests("not_found", "404");
    listener.calls.clear();

    for (String controller : List.of("/sync", "/deferred", "/future")) {
      assertThat(get(controller + "/public/hello.txt").statusCode()).isEqualTo(200);
    }
    assertThat(get("/sync/public/missing.txt").statusCode()).isEqualTo(404);

    // Listeners hear of an exchange once it ended, which may be just after its client read the
    // last byte: wait for both of them.
    await(
        "four events",
        () -> listener.calls.stream().filter(c -> c.startsWith("event")).count() == 4);
    await(
        "four times to first byte",
        () -> meters.get(S3RedirectMetrics.TIME_TO_FIRST_BYTE).timer().count() == timedBefore + 4);
    assertThat(requests("served", "200")).isEqualTo(served + 3);
    assertThat(requests("not_found", "404")).isEqualTo(notFound + 1);
    assertThat(bytes.totalAmount() - bytesBefore).isEqualTo(3.0 * TEXT.getBytes(UTF_8).length);
    assertThat(meters.get(S3RedirectMetrics.TIME_TO_FIRST_BYTE).timer().count())
        .isEqualTo(timedBefore + 4);
    assertThat(active()).isZero();
    String hello = "s3://" + BUCKET + "/public/hello.txt";
    assertThat(listener.calls)
        .containsExactly(
            "start " + hello,
            "event " + hello + " SERVED",
            "start " + hello,
            "event " + hello + " SERVED",
            "start " + hello,
            "event " + hello + " SERVED",
            "event s3://" + BUCKET + "/public/missing.txt NOT_FOUND");
  }

  @Test
  void countsTheActiveStreamAndTheClientThatWentAway() throws Exception {
    double aborts = meters.get(S3RedirectMetrics.CLIENT_ABORTS).counter().count();
    double abortedRequests = requests("client_aborted", "200");

    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("GET /sync/public/large.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(UTF_8));
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(64);
      assertThat(new String(head, UTF_8)).startsWith("HTTP/1.1 200");

      // The client reads no further: the filter is stuck sending the object.
      await("one active stream", () -> active() == 1);
    }

    await("the abort", () -> active() == 0);
    await("the aborted request", () -> requests("client_aborted", "200") == abortedRequests + 1);
    assertThat(meters.get(S3RedirectMetrics.CLIENT_ABORTS).counter().count()).isEqualTo(aborts + 1);
  }
}
