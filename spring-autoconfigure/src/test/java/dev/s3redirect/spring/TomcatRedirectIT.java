package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.embedded.EmbeddedS3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * The redirect policy of {@code s3-redirect.redirect.*} through Spring Boot on Tomcat and an S3
 * server: objects above the minimum size are answered with a presigned URL the server honours,
 * smaller ones and ranges are streamed, and the application's delivery header decides for its
 * response.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = TomcatRedirectIT.App.class,
    properties = {
      "s3-redirect.allow=" + TomcatRedirectIT.BUCKET,
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "s3-redirect.redirect.rule=above-size",
      "s3-redirect.redirect.minimum-size=64KB",
      "s3-redirect.redirect.only-without-range=true",
      "logging.level.org.gaul=WARN"
    })
class TomcatRedirectIT {
  static final String BUCKET = "offload";
  static final byte[] LARGE = new byte[512 * 1024];
  static final byte[] SMALL = Arrays.copyOf(LARGE, 1000);

  static EmbeddedS3Server s3;
  static final List<S3RedirectEvent> EVENTS = new CopyOnWriteArrayList<>();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> s3.endpoint().toString());
  }

  @BeforeAll
  static void start() throws IOException {
    new Random(24).nextBytes(LARGE);
    System.arraycopy(LARGE, 0, SMALL, 0, SMALL.length);
    s3 = EmbeddedS3Server.start();
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(b -> b.bucket(BUCKET).key("large.bin"), RequestBody.fromBytes(LARGE));
      admin.putObject(b -> b.bucket(BUCKET).key("small.bin"), RequestBody.fromBytes(SMALL));
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
        @PathVariable String key, @RequestParam(required = false) String delivery) {
      var response =
          ResponseEntity.ok().header("X-S3-Redirect", S3Location.of(BUCKET, key).toHeaderValue());
      if (delivery != null) {
        response.header("X-S3-Redirect-Delivery", delivery);
      }
      return response.build();
    }
  }

  @LocalServerPort int port;

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), BodyHandlers.ofByteArray());
  }

  @Test
  void largeObjectsAreRedirectedToAUrlTheServerHonours() throws Exception {
    HttpResponse<byte[]> redirect = get("/files/large.bin");

    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");
    URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
    assertThat(location.getPort()).isEqualTo(s3.endpoint().getPort());
    HttpResponse<byte[]> fromS3 =
        HTTP.send(HttpRequest.newBuilder(location).build(), BodyHandlers.ofByteArray());
    assertThat(fromS3.statusCode()).isEqualTo(200);
    assertThat(fromS3.body()).isEqualTo(LARGE);
  }

  @Test
  void smallObjectsRangesAndTheApplicationsStreamAreStreamed() throws Exception {
    HttpResponse<byte[]> small = get("/files/small.bin");
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.body()).isEqualTo(SMALL);

    HttpResponse<byte[]> range = get("/files/large.bin", "Range", "bytes=0-999");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(SMALL);

    HttpResponse<byte[]> stream = get("/files/large.bin?delivery=stream");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).isEqualTo(LARGE);
    assertThat(stream.headers().firstValue("X-S3-Redirect-Delivery")).isEmpty();

    HttpResponse<byte[]> asked = get("/files/small.bin?delivery=redirect");
    assertThat(asked.statusCode()).isEqualTo(302);
  }
}
