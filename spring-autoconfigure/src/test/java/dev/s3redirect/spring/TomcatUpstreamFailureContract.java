package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.s3redirect.S3Location;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.embedded.H2cProbe;
import dev.s3redirect.embedded.LoopbackTcpProxy;
import dev.s3redirect.embedded.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
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
 * On Tomcat (the container Spring Boot users run), S3 failing in the middle of a body must fail the
 * download visibly for every client, for synchronous and asynchronous controllers alike: an
 * HTTP/1.1 connection ends before {@code Content-Length} bytes (never a clean end, never left
 * hanging), an HTTP/2 stream is reset ({@code RST_STREAM}, no {@code END_STREAM}) so that even a
 * client that does not count bytes sees an error, and the log has the filter's one WARN and nothing
 * from Tomcat or Spring (no stack trace, no error page).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = TomcatUpstreamFailureContract.App.class,
    properties = {
      "s3-redirect.allow=" + TomcatUpstreamFailureContract.BUCKET,
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "s3-redirect.s3.socket-timeout=5s",
      "server.http2.enabled=true",
      "logging.level.org.gaul=WARN"
    })
abstract class TomcatUpstreamFailureContract {
  static final String BUCKET = "faults";
  static final int LENGTH = 32 * 1024 * 1024;

  static EmbeddedS3Server s3;
  static LoopbackTcpProxy relay;

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> relay.endpoint().toString());
  }

  /** S3 and a relay of their own for each test class: every S3 connection ends after 5 MiB. */
  @BeforeAll
  static void start() throws IOException {
    s3 = EmbeddedS3Server.start();
    relay = new LoopbackTcpProxy(s3.endpoint());
    relay.cutResponsesAfter(5L * 1024 * 1024);
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(
          b -> b.bucket(BUCKET).key("large.bin"), RequestBody.fromBytes(new byte[LENGTH]));
      admin.putObject(b -> b.bucket(BUCKET).key("small.txt"), RequestBody.fromString("ok"));
    }
  }

  @AfterAll
  static void stop() throws IOException {
    relay.close();
    s3.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Controllers.class)
  static class App {
    @Bean
    S3RedirectClientCustomizer embeddedS3Credentials() {
      return EmbeddedS3Credentials.of(s3);
    }
  }

  @RestController
  static class Controllers {
    private static S3Location object(String key) {
      return S3Location.of(BUCKET, key);
    }

    @GetMapping("/sync/{key}")
    ResponseEntity<Void> sync(@PathVariable String key) {
      return S3Redirects.to(object(key));
    }

    @GetMapping("/deferred/{key}")
    DeferredResult<ResponseEntity<Void>> deferred(@PathVariable String key) {
      DeferredResult<ResponseEntity<Void>> result = new DeferredResult<>(10_000L);
      CompletableFuture.runAsync(() -> result.setResult(S3Redirects.to(object(key))));
      return result;
    }

    @GetMapping("/future/{key}")
    CompletableFuture<ResponseEntity<Void>> future(@PathVariable String key) {
      return CompletableFuture.supplyAsync(() -> S3Redirects.to(object(key)));
    }
  }

  @LocalServerPort int port;

  /** Records everything logged at WARN or above while a download is cut. */
  final class Logs implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    Logs() {
      appender.start();
      root.addAppender(appender);
    }

    /** Waits for the filter's WARN, then checks it is the only line at WARN or above. */
    void assertOnlyTheFiltersWarning() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (warnings().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(300); // a container's ERROR would follow the filter's WARN
      assertThat(warnings())
          .singleElement()
          .asString()
          .startsWith("WARN dev.s3redirect.S3RedirectFilter ")
          .contains("cut the 200 response short");
    }

    private List<String> warnings() {
      return appender.list.stream()
          .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
          .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
          .toList();
    }

    @Override
    public void close() {
      root.detachAppender(appender);
    }
  }

  @ParameterizedTest(name = "{0}: HTTP/1.1 ends the connection short")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void http11EndsTheConnectionShort(String controller) throws Exception {
    try (Logs logs = new Logs();
        Socket socket = RawHttp.get(port, controller + "/large.bin")) {
      InputStream in = socket.getInputStream();
      String head = RawHttp.readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + LENGTH);
      long received;
      try {
        // The read timeout (20 s) is longer than the S3 client's idle-read timeout (5 s).
        received = RawHttp.countToTheEnd(in);
      } catch (SocketTimeoutException hanging) {
        throw new AssertionError("the connection was left open after the failure", hanging);
      }
      assertThat(received).isLessThan(LENGTH);
      logs.assertOnlyTheFiltersWarning();
    }
  }

  @ParameterizedTest(name = "{0}: the JDK client over HTTP/2 sees an error")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void http2FailsForAClientThatDoesNotCountBytes(String controller) throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    try (Logs logs = new Logs()) {
      HttpRequest request =
          HttpRequest.newBuilder(uri(controller + "/large.bin"))
              .timeout(Duration.ofSeconds(20))
              .build();
      assertThatThrownBy(() -> h2.send(request, BodyHandlers.ofByteArray()))
          .isInstanceOf(IOException.class);
      logs.assertOnlyTheFiltersWarning();
    }
    HttpResponse<String> next =
        h2.send(
            HttpRequest.newBuilder(uri(controller + "/small.txt")).build(),
            BodyHandlers.ofString());
    assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(next.body()).isEqualTo("ok");
  }

  @ParameterizedTest(
      name = "{0}: the HTTP/2 stream is reset, never ended (prior knowledge, upgrade)")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void http2ResetsTheStream(String controller) throws Exception {
    for (boolean upgrade : new boolean[] {false, true}) {
      try (Logs logs = new Logs()) {
        H2cProbe.Result result =
            H2cProbe.get(port, controller + "/large.bin", controller + "/small.txt", upgrade);
        assertThat(result.reset()).as("RST_STREAM: " + result).isNotNull();
        assertThat(result.endStream()).as("END_STREAM: " + result).isFalse();
        assertThat(result.dataBytes()).isLessThan(LENGTH);
        assertThat(result.secondStream()).as("the connection serves on").isEqualTo("complete");
        logs.assertOnlyTheFiltersWarning();
      }
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
