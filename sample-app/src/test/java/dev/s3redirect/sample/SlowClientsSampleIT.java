package dev.s3redirect.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.embedded.SlowClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/**
 * The sample application, exactly as configured (Tomcat's 200 request threads, the filter's
 * defaults), with 200 clients stalled on the 64 MiB download: a normal visitor's requests all
 * succeed byte-exact meanwhile, the stalled clients that read on finish byte-exact, and those that
 * hang up leave every S3 connection free. With blocking writes ({@code
 * s3-redirect.write-mode=blocking}) the stalled downloads hold the request threads and the S3 pool,
 * and this test fails: some of the stalled clients already get a 504 while waiting for a
 * connection.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sample.s3.port=0")
@Timeout(180)
class SlowClientsSampleIT {
  static final int STALLED = 200;
  static final int READ_ON = 5;

  @LocalServerPort int port;
  @Autowired ServletWebServerApplicationContext context;
  @Autowired DemoObjects objects;

  /**
   * Gives Tomcat's sockets the send buffer of a connection over a real network: on loopback Linux
   * grows it to megabytes even for a client that stopped reading.
   */
  @BeforeEach
  void realisticSendBuffer() {
    ((TomcatWebServer) context.getWebServer())
        .getTomcat()
        .getConnector()
        .setProperty("socket.txBufSize", "65536");
  }

  @Test
  void twoHundredStalledDownloadsLeaveTheApplicationToItsVisitors() throws Exception {
    byte[] large = content(DemoObjects.LARGE_KEY);
    try (SlowClients slow =
        SlowClients.connect(port, href(DemoObjects.LARGE_KEY), STALLED, 16 * 1024)) {
      assertThat(slow.awaitHeads(Duration.ofSeconds(60)))
          .hasSize(STALLED)
          .allMatch(status -> status.startsWith("HTTP/1.1 200"));
      slow.trickle();

      AtomicBoolean visitorDone = new AtomicBoolean();
      CompletableFuture<List<String>> visitor =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return visitor();
                } finally {
                  visitorDone.set(true);
                }
              });
      while (!visitorDone.get()) {
        Thread.sleep(1000);
        slow.trickle();
      }
      assertThat(visitor.get()).as("the visitor's failed requests").isEmpty();

      assertThat(slow.readToTheEnd(READ_ON, large.length, large, Duration.ofSeconds(60)))
          .as("stalled clients that read on, byte-exact")
          .isEqualTo(READ_ON);
      slow.hangUp();
    }
    // The hung-up downloads gave back what they held: 50 downloads at once all succeed.
    HttpClient http = HttpClient.newHttpClient();
    byte[] media = content(DemoObjects.MEDIA_KEY);
    List<CompletableFuture<byte[]>> downloads = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      downloads.add(
          http.sendAsync(
                  HttpRequest.newBuilder(uri(href(DemoObjects.MEDIA_KEY)))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  BodyHandlers.ofByteArray())
              .thenApply(HttpResponse::body));
    }
    for (CompletableFuture<byte[]> body : downloads) {
      assertThat(body.get()).isEqualTo(media);
    }
  }

  /** A visitor browsing the page, the text file, the picture and the player, in turn. */
  private List<String> visitor() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<String, byte[]> expected =
        Map.of(
            href(DemoObjects.HELLO_KEY), content(DemoObjects.HELLO_KEY),
            href(DemoObjects.PICTURE_KEY), content(DemoObjects.PICTURE_KEY),
            href(DemoObjects.MEDIA_KEY), content(DemoObjects.MEDIA_KEY));
    List<String> paths = new ArrayList<>(expected.keySet());
    paths.add("/");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String path = paths.get(i % paths.size());
      try {
        HttpResponse<byte[]> response =
            http.send(
                HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                BodyHandlers.ofByteArray());
        byte[] body = expected.get(path);
        if (response.statusCode() != 200
            || (body != null && !Arrays.equals(response.body(), body))) {
          failures.add(path + ": " + response.statusCode());
        }
      } catch (Exception e) {
        failures.add(path + ": " + e);
      }
    }
    return failures;
  }

  private byte[] content(String key) {
    DemoObjects.DemoObject object =
        objects.all().stream().filter(o -> o.key().equals(key)).findFirst().orElseThrow();
    try (InputStream in = object.content().get()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String href(String key) {
    return "/files/" + SignedLinks.encodePath(key);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
