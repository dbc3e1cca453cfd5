package dev.s3redirect.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.store.CustomerKeyProvider;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.RoutingObjectStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code s3-redirect.buckets.*}: two S3-protocol servers with different credentials behind one
 * filter, the default for most buckets and another for one bucket and for a key prefix of a bucket
 * both hold. A read sent to the wrong server finds other bytes or is refused for its signature.
 */
class BucketRoutesIT {

  static EmbeddedS3Server main;
  static EmbeddedS3Server other;

  @BeforeAll
  static void startServers() {
    main = EmbeddedS3Server.start();
    other = EmbeddedS3Server.builder().credentials("other-access", "other-secret").start();
    try (S3Client mainAdmin = main.clientBuilder().build();
        S3Client otherAdmin = other.clientBuilder().build()) {
      mainAdmin.createBucket(b -> b.bucket("media"));
      put(mainAdmin, "media", "a.txt", "media/a.txt on main");
      put(mainAdmin, "media", "sealed/b.txt", "media/sealed/b.txt on main");
      otherAdmin.createBucket(b -> b.bucket("media"));
      otherAdmin.createBucket(b -> b.bucket("archive"));
      put(otherAdmin, "media", "sealed/b.txt", "media/sealed/b.txt on other");
      put(otherAdmin, "archive", "x.txt", "archive/x.txt on other");
    }
  }

  @AfterAll
  static void stopServers() {
    main.close();
    other.close();
  }

  private static void put(S3Client admin, String bucket, String key, String text) {
    admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
  }

  private static String[] access(String prefix, EmbeddedS3Server server) {
    return new String[] {
      "s3-redirect." + prefix + ".endpoint=" + server.endpoint(),
      "s3-redirect." + prefix + ".path-style=true",
      "s3-redirect." + prefix + ".checksums=when-required",
      "s3-redirect." + prefix + ".region=us-east-1",
      "s3-redirect." + prefix + ".access-key=" + server.accessKey(),
      "s3-redirect." + prefix + ".secret-key=" + server.secretKey()
    };
  }

  private WebApplicationContextRunner runner(String engine) {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
        .withPropertyValues("s3-redirect.allow=media,archive", "s3-redirect.s3.engine=" + engine)
        .withPropertyValues(access("s3", main))
        .withPropertyValues(access("buckets.archive", other))
        .withPropertyValues(access("buckets[media/sealed/]", other))
        .withPropertyValues(
            "s3-redirect.buckets.archive.engine=" + engine,
            "s3-redirect.buckets[media/sealed/].engine=" + engine);
  }

  private static String read(ObjectStore store, String bucket, String key) throws Exception {
    ObjectContent content =
        ((GetResult.Found) store.get(ObjectRequest.of(S3Location.of(bucket, key)))).content();
    try (content) {
      return new String(content.body().readAllBytes(), UTF_8);
    }
  }

  @Test
  void eachEngineReadsEachObjectFromTheServerOfItsRoute() {
    for (String engine : new String[] {"lean", "sdk"}) {
      runner(engine)
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                ObjectStore store = context.getBean(ObjectStore.class);
                assertThat(store).isInstanceOf(RoutingObjectStore.class);
                assertThat(read(store, "media", "a.txt")).isEqualTo("media/a.txt on main");
                assertThat(read(store, "media", "sealed/b.txt"))
                    .isEqualTo("media/sealed/b.txt on other");
                assertThat(read(store, "archive", "x.txt")).isEqualTo("archive/x.txt on other");
              });
    }
  }

  @Test
  void aCustomerKeyProviderBeanIsAskedByEveryStore() {
    List<S3Location> asked = new CopyOnWriteArrayList<>();
    CustomerKeyProvider recording =
        location -> {
          asked.add(location);
          return Optional.empty();
        };
    for (String engine : new String[] {"lean", "sdk"}) {
      asked.clear();
      runner(engine)
          .withBean(CustomerKeyProvider.class, () -> recording)
          .run(
              context -> {
                ObjectStore store = context.getBean(ObjectStore.class);
                read(store, "media", "a.txt");
                read(store, "archive", "x.txt");
                store.head(S3Location.of("media", "sealed/b.txt"));
              });
      assertThat(asked)
          .as(engine)
          .containsExactly(
              S3Location.of("media", "a.txt"),
              S3Location.of("archive", "x.txt"),
              S3Location.of("media", "sealed/b.txt"));
    }
  }

  @Test
  void startupChecksEachBucketWithTheClientOfItsRouteAndSaysWhereRoutesGo() {
    try (CapturedLog log = CapturedLog.of(S3RedirectStartup.class)) {
      runner("lean")
          .withPropertyValues("s3-redirect.s3.verify-on-startup=true")
          .run(context -> assertThat(context).hasNotFailed());

      assertThat(log.at(Level.INFO))
          .singleElement()
          .asString()
          .contains("; archive from " + other.endpoint() + " (region us-east-1)")
          .contains("; media/sealed/ from " + other.endpoint() + " (region us-east-1)")
          .endsWith("every allowed bucket answered HeadBucket");
      assertThat(log.all()).noneMatch(line -> line.contains("other-secret"));
    }
  }

  @Test
  void aMalformedRouteNamesItsProperty() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
        .withPropertyValues("s3-redirect.allow=media")
        .withPropertyValues(access("s3", main))
        .withPropertyValues(access("buckets[not a bucket]", other))
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("s3-redirect.buckets[not a bucket]"));
  }
}
