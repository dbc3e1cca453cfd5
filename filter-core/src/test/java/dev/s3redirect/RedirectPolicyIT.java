package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.s3redirect.RedirectPolicy.Rule;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.store.CustomerKey;
import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.LogCapture;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.StoreOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The redirect policy through Jetty, a real client and S3Proxy: a redirect carries a presigned URL
 * that S3Proxy serves (ranges too) and nothing else of the filter's; the application's delivery
 * header and the rules decide; a HEAD, a customer-keyed object and an unsigned one are streamed.
 */
class RedirectPolicyIT {

  static final String BUCKET = "offload";
  static final byte[] LARGE = new byte[256 * 1024];
  static final byte[] SMALL = new byte[100];

  static S3Backend backend;
  static S3Client admin;
  static S3Presigner presigner;
  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() {
    new Random(17).nextBytes(LARGE);
    System.arraycopy(LARGE, 0, SMALL, 0, SMALL.length);
    backend = new S3ProxyBackend();
    admin = backend.clientBuilder(backend.endpoint()).build();
    admin.createBucket(b -> b.bucket(BUCKET));
    admin.putObject(b -> b.bucket(BUCKET).key("large.bin"), RequestBody.fromBytes(LARGE));
    admin.putObject(b -> b.bucket(BUCKET).key("small.bin"), RequestBody.fromBytes(SMALL));
    admin.putObject(b -> b.bucket(BUCKET).key("sealed/large.bin"), RequestBody.fromBytes(LARGE));
    presigner =
        S3Presigner.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(backend.endpoint())
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(backend.accessKey(), backend.secretKey())))
            .build();
  }

  @AfterAll
  static void stop() {
    presigner.close();
    admin.close();
    backend.close();
  }

  static String path(String key, String query) {
    return "/app/x?redirect="
        + URLEncoder.encode(S3Location.of(BUCKET, key).toHeaderValue(), UTF_8)
        + query;
  }

  static RedirectingApp app(UnaryOperator<RedirectPolicy.Builder> policy) throws Exception {
    return app(policy, new S3PresignedUrls(presigner));
  }

  static RedirectingApp app(UnaryOperator<RedirectPolicy.Builder> policy, UrlSigner signer)
      throws Exception {
    CountingStore store =
        Engine.LEAN.open(
            backend,
            backend.endpoint(),
            StoreOptions.defaults()
                .withCustomerKeys(
                    location ->
                        location.key().startsWith("sealed/")
                            ? Optional.of(CustomerKey.aes256(new byte[32]))
                            : Optional.empty()));
    RedirectPolicy redirects =
        policy == null ? null : policy.apply(RedirectPolicy.builder(signer)).build();
    return new RedirectingApp(store, S3RedirectSettings.builder().allow(BUCKET).build(), redirects)
        .closing(store);
  }

  static HttpResponse<byte[]> send(RedirectingApp app, String path, String... headers)
      throws Exception {
    return send("GET", app.uri(path), headers);
  }

  static HttpResponse<byte[]> send(String method, URI uri, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), BodyHandlers.ofByteArray());
  }

  @Test
  void aRedirectCarriesAPresignedUrlThatS3ServesRangesIncluded() throws Exception {
    try (RedirectingApp app = app(p -> p)) {
      HttpResponse<byte[]> redirect =
          send(
              app,
              path(
                  "large.bin",
                  "&delivery=redirect&cookie=kept&cacheControl=max-age%3D3600"
                      + "&disposition=attachment%3B%20filename%3D%22big.bin%22"
                      + "&contentType=application/x-test"));

      assertThat(redirect.statusCode()).isEqualTo(302);
      assertThat(redirect.body()).isEmpty();
      assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(redirect.headers().firstValue("Set-Cookie"))
          .hasValueSatisfying(cookie -> assertThat(cookie).startsWith("app=kept"));
      assertThat(redirect.headers().map().keySet())
          .noneMatch(name -> name.toLowerCase().startsWith("x-s3-redirect"))
          .noneMatch(name -> name.equalsIgnoreCase("Content-Disposition"))
          .noneMatch(name -> name.equalsIgnoreCase("ETag"));
      URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
      assertThat(location.getRawQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=300");
      assertThat(app.awaitEvents(1))
          .singleElement()
          .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.REDIRECTED));

      HttpResponse<byte[]> whole = send("GET", location);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(LARGE);
      assertThat(whole.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"big.bin\"");
      assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/x-test");

      HttpResponse<byte[]> range = send("GET", location, "Range", "bytes=1000-1999");
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(LARGE, 1000, 2000));
    }
  }

  @Test
  void onRequestStreamsWhatTheApplicationDidNotAskToRedirect() throws Exception {
    try (RedirectingApp app = app(p -> p)) {
      HttpResponse<byte[]> streamed = send(app, path("large.bin", ""));
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(streamed.body()).isEqualTo(LARGE);

      // A HEAD cannot be answered by a URL signed for GET: the filter answers it.
      HttpResponse<byte[]> head = send("HEAD", app.uri(path("large.bin", "&delivery=redirect")));
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length"))
          .hasValue(Integer.toString(LARGE.length));
    }
  }

  @Test
  void aCustomerKeyedObjectIsNeverRedirected() throws Exception {
    try (RedirectingApp app = app(p -> p.rule(Rule.ALWAYS))) {
      HttpResponse<byte[]> response = send(app, path("sealed/large.bin", "&delivery=redirect"));

      assertThat(response.statusCode()).isNotIn(302, 307);
      assertThat(response.headers().firstValue("Location")).isEmpty();
      assertThat(app.awaitEvents(1))
          .singleElement()
          .satisfies(e -> assertThat(e.outcome()).isNotEqualTo(Outcome.REDIRECTED));
    }
  }

  @Test
  void alwaysButNotRangesAndTheApplicationsStream() throws Exception {
    try (RedirectingApp app = app(p -> p.rule(Rule.ALWAYS).onlyWithoutRange(true).status(307))) {
      assertThat(send(app, path("large.bin", "")).statusCode()).isEqualTo(307);

      HttpResponse<byte[]> range = send(app, path("large.bin", ""), "Range", "bytes=0-99");
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(SMALL);

      HttpResponse<byte[]> stream = send(app, path("large.bin", "&delivery=stream"));
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.body()).isEqualTo(LARGE);
    }
  }

  @Test
  void aboveASizeAsksS3ForTheSizeFirst() throws Exception {
    try (RedirectingApp app = app(p -> p.rule(Rule.ABOVE_SIZE).minimumSize(1000))) {
      HttpResponse<byte[]> small = send(app, path("small.bin", ""));
      assertThat(small.statusCode()).isEqualTo(200);
      assertThat(small.body()).isEqualTo(SMALL);

      HttpResponse<byte[]> large = send(app, path("large.bin", ""));
      assertThat(large.statusCode()).isEqualTo(302);
      assertThat(
              send("GET", URI.create(large.headers().firstValue("Location").orElseThrow())).body())
          .isEqualTo(LARGE);

      HttpResponse<byte[]> missing = send(app, path("missing.bin", ""));
      assertThat(missing.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anExpiredUrlIsRefusedByS3() throws Exception {
    try (RedirectingApp app = app(p -> p.rule(Rule.ALWAYS).lifetime(Duration.ofSeconds(1)))) {
      URI location =
          URI.create(
              send(app, path("large.bin", "")).headers().firstValue("Location").orElseThrow());
      Thread.sleep(2500);

      assertThat(send("GET", location).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void whatTheSignerCannotSignOrFailsToSignIsStreamed() throws Exception {
    UrlSigner none = (location, lifetime, overrides) -> Optional.empty();
    try (RedirectingApp app = app(p -> p.rule(Rule.ALWAYS), none)) {
      assertThat(send(app, path("large.bin", "")).body()).isEqualTo(LARGE);
    }
    UrlSigner broken =
        (location, lifetime, overrides) -> {
          throw new IllegalStateException("no credentials");
        };
    try (RedirectingApp app = app(p -> p.rule(Rule.ALWAYS), broken)) {
      assertThat(send(app, path("large.bin", "")).body()).isEqualTo(LARGE);
    }
  }

  @Test
  void withoutAPolicyTheDeliveryHeaderIsIgnoredAndNeverSentButLogged() throws Exception {
    try (RedirectingApp app = app(null);
        LogCapture log = LogCapture.ofTheFilter()) {
      HttpResponse<byte[]> response = send(app, path("large.bin", "&delivery=redirect"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(LARGE);
      assertThat(response.headers().firstValue("X-S3-Redirect-Delivery")).isEmpty();
      assertThat(log.atOrAbove(Level.WARN))
          .singleElement()
          .asString()
          .contains("X-S3-Redirect-Delivery", "no redirect policy", "/large.bin");
    }
  }

  @Test
  void aDeliveryValueThatIsNeitherIsLoggedAndTheRuleDecides() throws Exception {
    try (RedirectingApp app = app(p -> p.rule(Rule.ALWAYS));
        LogCapture log = LogCapture.ofTheFilter()) {
      HttpResponse<byte[]> response = send(app, path("large.bin", "&delivery=offload"));

      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(log.atOrAbove(Level.WARN))
          .singleElement()
          .asString()
          .contains("X-S3-Redirect-Delivery", "\"offload\"", "neither redirect nor stream");
    }
  }
}
