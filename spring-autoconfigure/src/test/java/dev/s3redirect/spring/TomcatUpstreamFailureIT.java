package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.embedded.LoopbackTcpProxy;
import dev.s3redirect.embedded.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * On Tomcat (the container Spring Boot users run), S3 failing in the middle of a body must end the
 * client's connection before {@code Content-Length} bytes, for synchronous and asynchronous
 * controllers alike: never a clean end, and never a connection left hanging.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = TomcatUpstreamFailureIT.App.class,
    properties = {
      "s3-redirect.allow=" + TomcatUpstreamFailureIT.BUCKET,
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "s3-redirect.s3.socket-timeout=5s",
      "logging.level.org.gaul=WARN"
    })
class TomcatUpstreamFailureIT {
  static final String BUCKET = "faults";
  static final int LENGTH = 32 * 1024 * 1024;

  static EmbeddedS3Server s3 = EmbeddedS3Server.start();
  static LoopbackTcpProxy relay = startRelay();

  private static LoopbackTcpProxy startRelay() {
    try {
      return new LoopbackTcpProxy(s3.endpoint());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> relay.endpoint().toString());
  }

  @BeforeAll
  static void object() {
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(
          b -> b.bucket(BUCKET).key("large.bin"), RequestBody.fromBytes(new byte[LENGTH]));
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
    private static final S3Location LARGE = S3Location.of(BUCKET, "large.bin");

    @GetMapping("/sync")
    ResponseEntity<Void> sync() {
      return S3Redirects.to(LARGE);
    }

    @GetMapping("/deferred")
    DeferredResult<ResponseEntity<Void>> deferred() {
      DeferredResult<ResponseEntity<Void>> result = new DeferredResult<>(10_000L);
      CompletableFuture.runAsync(() -> result.setResult(S3Redirects.to(LARGE)));
      return result;
    }

    @GetMapping("/future")
    CompletableFuture<ResponseEntity<Void>> future() {
      return CompletableFuture.supplyAsync(() -> S3Redirects.to(LARGE));
    }
  }

  @LocalServerPort int port;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void aFailureInTheMiddleOfTheBodyEndsTheConnectionShort(String path) throws Exception {
    relay.cutResponsesAfter(5L * 1024 * 1024);
    try (Socket socket = RawHttp.get(port, path)) {
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
    } finally {
      relay.relay();
    }
  }
}
