package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.embedded.EmbeddedS3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
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
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * With {@code s3-redirect.error-pages=application}, the application's error handling renders the
 * filter's error answers: here Spring Boot's, as JSON, with the status the filter chose, nothing
 * from S3, and never cached.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = ApplicationErrorPagesIT.App.class,
    properties = {
      "s3-redirect.allow=" + ApplicationErrorPagesIT.BUCKET,
      "s3-redirect.error-pages=application",
      "s3-redirect.s3.path-style=true",
      "s3-redirect.s3.checksums=when-required",
      "logging.level.org.gaul=WARN"
    })
class ApplicationErrorPagesIT {
  static final String BUCKET = "pages";
  static final EmbeddedS3Server s3 = EmbeddedS3Server.start();

  static {
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @DynamicPropertySource
  static void s3Endpoint(DynamicPropertyRegistry registry) {
    registry.add("s3-redirect.s3.endpoint", () -> s3.endpoint().toString());
  }

  @AfterAll
  static void stop() {
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
  }

  @RestController
  static class Files {
    @GetMapping("/files/{key}")
    ResponseEntity<Void> file(@PathVariable String key) {
      return ResponseEntity.ok()
          .header("Cache-Control", "max-age=600")
          .header(
              dev.s3redirect.S3RedirectSettings.DEFAULT_HEADER_NAME,
              S3Location.of(BUCKET, key).toHeaderValue())
          .build();
    }
  }

  @LocalServerPort int port;

  @Test
  void aMissingObjectIsRenderedByTheApplication() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/missing"))
                    .header("Accept", "application/json")
                    .build(),
                BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body()).contains("\"status\":404").doesNotContain("NoSuchKey", BUCKET);
    assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
  }
}
