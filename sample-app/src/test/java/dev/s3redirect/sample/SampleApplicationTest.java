package dev.s3redirect.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sample.s3.port=0")
class SampleApplicationTest {

  @LocalServerPort int port;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void servesPublicObjectsFromTheEmbeddedS3ThroughTheFilterOnTomcat() throws Exception {
    HttpResponse<String> response = get("/files/public/hello.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(DemoObjects.HELLO_TEXT);
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(DemoObjects.HELLO_TEXT.length()));
    assertThat(response.headers().firstValue("ETag")).isPresent();
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.equalsIgnoreCase("x-s3-redirect"));
  }

  @Test
  void missingObjectsAreNotFound() throws Exception {
    HttpResponse<String> response = get("/files/public/nothing-here.txt");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("Not Found\n");
  }
}
