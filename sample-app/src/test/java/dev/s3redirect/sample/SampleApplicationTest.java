package dev.s3redirect.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sample.s3.port=0")
class SampleApplicationTest {

  @LocalServerPort int port;
  @Autowired ServletWebServerApplicationContext context;
  @Autowired DemoObjects objects;
  @Autowired SignedLinks links;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), BodyHandlers.ofByteArray());
  }

  private static byte[] content(DemoObjects.DemoObject object) throws Exception {
    try (InputStream in = object.content().get()) {
      return in.readAllBytes();
    }
  }

  private static String href(String key) {
    return "/files/" + SignedLinks.encodePath(key);
  }

  @Test
  void thePageListsThePublicObjectsThePlayerThePictureAndASignedLink() throws Exception {
    HttpResponse<byte[]> response = get("/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    String page = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    for (DemoObjects.DemoObject object : objects.all()) {
      String listed = "class=\"object-link\" href=\"" + href(object.key()) + "\"";
      if (object.key().startsWith("public/")) {
        assertThat(page).contains(listed);
      } else {
        assertThat(page).doesNotContain(listed);
      }
    }
    assertThat(page)
        .contains("<audio id=\"player\"", "src=\"" + href(DemoObjects.MEDIA_KEY) + "\"")
        .contains("<img id=\"picture\"", "src=\"" + href(DemoObjects.PICTURE_KEY) + "\"")
        .containsPattern(
            "id=\"signed-link\" href=\"/files/private/[^\"]+expires=[0-9]+&amp;signature=");
  }

  @Test
  void everyPublicObjectComesBackByteExact() throws Exception {
    for (DemoObjects.DemoObject object : objects.all()) {
      if (!object.key().startsWith("public/")) {
        continue;
      }
      HttpResponse<byte[]> response = get(href(object.key()));
      assertThat(response.statusCode()).as(object.key()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Length"))
          .hasValue(Long.toString(object.length()));
      assertThat(MessageDigest.getInstance("SHA-256").digest(response.body()))
          .as(object.key())
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(content(object)));
      assertThat(response.headers().map().keySet())
          .noneMatch(name -> name.equalsIgnoreCase("x-s3-redirect"));
    }
  }

  @Test
  void aRangeOfTheMediaIsPartialContent() throws Exception {
    DemoObjects.DemoObject media =
        objects.all().stream().filter(o -> o.key().equals(DemoObjects.MEDIA_KEY)).findFirst().get();
    long middle = media.length() / 2;
    HttpResponse<byte[]> response =
        get(href(DemoObjects.MEDIA_KEY), "Range", "bytes=" + middle + "-" + (middle + 999));

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.headers().firstValue("Content-Range"))
        .hasValue("bytes " + middle + "-" + (middle + 999) + "/" + media.length());
    assertThat(response.body())
        .isEqualTo(Arrays.copyOfRange(content(media), (int) middle, (int) middle + 1000));
  }

  @Test
  void theLargeFileResumesWhereADownloadStopped() throws Exception {
    long from = 40L * 1024 * 1024;
    HttpResponse<byte[]> response =
        get(href(DemoObjects.LARGE_KEY), "Range", "bytes=" + from + "-");

    assertThat(response.statusCode()).isEqualTo(206);
    byte[] expected;
    try (InputStream in = DemoMedia.randomBytes(DemoObjects.LARGE_LENGTH, DemoObjects.LARGE_SEED)) {
      in.skipNBytes(from);
      expected = in.readAllBytes();
    }
    assertThat(response.body()).isEqualTo(expected);
  }

  @Test
  void aSignedLinkWorksUntilItExpiresAndIsRefusedAfter() throws Exception {
    String link = links.link(DemoObjects.PRIVATE_KEY, Instant.now().plusSeconds(2));

    HttpResponse<byte[]> fresh = get(link);
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(new String(fresh.body(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("Quarterly report (private)");

    Thread.sleep(Duration.ofSeconds(3).toMillis());
    HttpResponse<byte[]> stale = get(link);
    assertThat(stale.statusCode()).isEqualTo(403);
    assertThat(new String(stale.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("This link is invalid or has expired.\n");
    assertThat(stale.headers().firstValue("ETag")).isEmpty();
  }

  @Test
  void aTamperedOrUnsignedLinkIsRefusedByTheApplication() throws Exception {
    String link = links.link(DemoObjects.PRIVATE_KEY, Duration.ofMinutes(5));
    String otherKey = link.replace("quarterly-report.txt", "other.txt");
    String longer = link.replaceFirst("expires=([0-9]+)", "expires=9$1");
    String forged = link.substring(0, link.length() - 2) + (link.endsWith("AA") ? "BB" : "AA");

    for (String path :
        new String[] {otherKey, longer, forged, "/files/private/quarterly-report.txt"}) {
      HttpResponse<byte[]> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(403);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/files/public", "/files/public/", "/files/private", "/files/private/"})
  void aPathWithoutAKeyIsNotFound(String path) throws Exception {
    assertThat(get(path).statusCode()).isEqualTo(404);
  }

  @Test
  void listensOnLoopbackOnly() {
    var tomcat = ((TomcatWebServer) context.getWebServer()).getTomcat();
    assertThat(tomcat.getConnector().getProperty("address"))
        .isEqualTo(InetAddress.getLoopbackAddress());
  }

  @Test
  void missingObjectsAreNotFound() throws Exception {
    HttpResponse<byte[]> response = get("/files/public/nothing-here.txt");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("Not Found\n");
  }
}
