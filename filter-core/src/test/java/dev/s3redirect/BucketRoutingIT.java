package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.store.RoutingObjectStore;
import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.RgwBackend;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.StoreOptions;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * Two S3 servers with different credentials behind one filter: S3Proxy as the default, Ceph RGW for
 * one bucket and for a key prefix of a bucket both servers have. A read sent to the wrong server
 * would find other bytes or be refused for its signature.
 */
@TestInstance(Lifecycle.PER_CLASS)
class BucketRoutingIT {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private S3Backend s3proxy;
  private RgwBackend rgw;

  @BeforeAll
  void storeTheObjects() {
    rgw = RgwBackend.shared();
    s3proxy = new S3ProxyBackend();
    try (S3Client proxyAdmin = s3proxy.clientBuilder(s3proxy.endpoint()).build();
        S3Client rgwAdmin = rgw.clientBuilder(rgw.endpoint()).build()) {
      proxyAdmin.createBucket(b -> b.bucket("media"));
      put(proxyAdmin, "media", "a.txt", "media/a.txt on S3Proxy");
      put(proxyAdmin, "media", "rgw/b.txt", "media/rgw/b.txt on S3Proxy");
      for (String bucket : new String[] {"media", "archive"}) {
        try {
          rgwAdmin.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException shared) {
          // The gateway serves other tests too.
        }
      }
      put(rgwAdmin, "media", "a.txt", "media/a.txt on RGW");
      put(rgwAdmin, "media", "rgw/b.txt", "media/rgw/b.txt on RGW");
      put(rgwAdmin, "archive", "x.txt", "archive/x.txt on RGW");
    }
  }

  @AfterAll
  void stopS3Proxy() {
    s3proxy.close();
  }

  private static void put(S3Client admin, String bucket, String key, String text) {
    admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void eachObjectIsReadFromTheServerItsRouteNames(Engine engine) throws Exception {
    StoreOptions options = StoreOptions.defaults();
    try (CountingStore toS3Proxy = engine.open(s3proxy, s3proxy.endpoint(), options);
        CountingStore toRgw = engine.open(rgw, rgw.endpoint(), options);
        RedirectingApp app =
            new RedirectingApp(
                RoutingObjectStore.builder(toS3Proxy)
                    .route("archive", toRgw)
                    .route("media/rgw/", toRgw)
                    .build(),
                S3RedirectSettings.builder().allow("media", "archive").build())) {

      assertThat(get(app, "media", "a.txt")).isEqualTo("media/a.txt on S3Proxy");
      assertThat(get(app, "media", "rgw/b.txt")).isEqualTo("media/rgw/b.txt on RGW");
      assertThat(get(app, "archive", "x.txt")).isEqualTo("archive/x.txt on RGW");
      assertThat(toS3Proxy.requests()).isEqualTo(1);
      assertThat(toRgw.requests()).isEqualTo(2);
    }
  }

  private String get(RedirectingApp app, String bucket, String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                app.uri(
                    "/app/x?redirect="
                        + URLEncoder.encode(S3Location.of(bucket, key).toHeaderValue(), UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<byte[]> response = http.send(request, BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("%s/%s", bucket, key).isEqualTo(200);
    return new String(response.body(), UTF_8);
  }
}
