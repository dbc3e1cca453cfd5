package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.store.LeanS3Endpoints.Delegated;
import dev.s3redirect.store.LeanS3Endpoints.Direct;
import dev.s3redirect.store.LeanS3Endpoints.Route;
import dev.s3redirect.store.LeanS3Endpoints.Settings;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4aAuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.endpoints.EndpointUrl;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

class LeanS3EndpointsTest {

  private static final S3EndpointProvider RULES = S3EndpointProvider.defaultProvider();

  private static Settings settings(String region, String endpoint, boolean pathStyle) {
    return new Settings(
        Region.of(region),
        endpoint == null ? null : URI.create(endpoint),
        pathStyle,
        false,
        false,
        false);
  }

  private static Route resolve(Settings settings, String bucket) {
    return new LeanS3Endpoints(RULES, settings, null).resolve(bucket);
  }

  @Nested
  class TheRulesDecideTheEndpoint {

    @ParameterizedTest(name = "{0} {1} path-style={2} bucket {3} -> {4} + ''{5}''")
    @CsvSource({
      "us-east-1, , false, my-bucket, https://my-bucket.s3.us-east-1.amazonaws.com, ''",
      "eu-west-1, , false, my-bucket, https://my-bucket.s3.eu-west-1.amazonaws.com, ''",
      "eu-west-1, , true, my-bucket, https://s3.eu-west-1.amazonaws.com, /my-bucket",
      "eu-west-1, , false, my.dotted.bucket, https://s3.eu-west-1.amazonaws.com, /my.dotted.bucket",
      "cn-north-1, , false, my-bucket, https://my-bucket.s3.cn-north-1.amazonaws.com.cn, ''",
      "us-east-1, http://127.0.0.1:9000, false, my-bucket, http://127.0.0.1:9000, /my-bucket",
      "us-east-1, http://localhost:9000, true, my-bucket, http://localhost:9000, /my-bucket",
      "us-east-1, http://localhost:9000/base, true, my-bucket, http://localhost:9000, /base/my-bucket",
      "us-east-1, http://localhost:9000, false, my-bucket, http://my-bucket.localhost:9000, ''",
    })
    void sigV4BucketsAreReadDirectly(
        String region,
        String endpoint,
        boolean pathStyle,
        String bucket,
        String origin,
        String basePath) {
      Route route = resolve(settings(region, endpoint, pathStyle), bucket);

      assertThat(route).isInstanceOf(Direct.class);
      Direct direct = (Direct) route;
      assertThat(direct.origin()).isEqualTo(URI.create(origin));
      assertThat(direct.basePath()).isEqualTo(basePath);
      assertThat(direct.signingRegion()).isEqualTo(region);
      assertThat(direct.signingName()).isEqualTo("s3");
      assertThat(direct.doubleUrlEncode()).isFalse();
    }

    @Test
    void fipsAndDualstackChooseTheirHosts() {
      Settings settings = new Settings(Region.US_WEST_2, null, false, true, true, false);

      Direct direct = (Direct) resolve(settings, "my-bucket");

      assertThat(direct.origin())
          .isEqualTo(URI.create("https://my-bucket.s3-fips.dualstack.us-west-2.amazonaws.com"));
    }

    @Test
    void theObjectUrlAppendsTheEncodedKeyToTheBasePath() {
      Direct direct = (Direct) resolve(settings("us-east-1", "http://localhost:9000", true), "b");

      assertThat(direct.objectUrl("a%20b//c")).isEqualTo("http://localhost:9000/b/a%20b//c");
    }
  }

  @Nested
  class WhatTheLeanEngineDoesNotSupportIsDelegated {

    @Test
    void s3ExpressDirectoryBucketsNeedTheirOwnAuthScheme() {
      Route route = resolve(settings("us-west-2", null, false), "mybucket--usw2-az1--x-s3");

      assertThat(route).isInstanceOf(Delegated.class);
      assertThat(((Delegated) route).reason()).contains("sigv4-s3express");
    }

    @Test
    void sigV4aEndpointsAreDelegated() {
      Endpoint endpoint =
          Endpoint.builder()
              .endpointUrl(
                  EndpointUrl.fromString("https://mrap.accesspoint.s3-global.amazonaws.com"))
              .putAttribute(
                  AwsEndpointAttribute.AUTH_SCHEMES,
                  List.of(SigV4aAuthScheme.builder().signingName("s3").build()))
              .build();

      Route route = LeanS3Endpoints.route(endpoint, Region.US_EAST_1);

      assertThat(((Delegated) route).reason()).contains("sigv4a");
    }

    @Test
    void endpointsWithoutAnAuthSchemeAreDelegated() {
      Endpoint endpoint =
          Endpoint.builder().endpointUrl(EndpointUrl.fromString("https://example.com")).build();

      assertThat(LeanS3Endpoints.route(endpoint, Region.US_EAST_1)).isInstanceOf(Delegated.class);
    }

    @Test
    void urlsWithAQueryAreDelegated() {
      Endpoint endpoint =
          Endpoint.builder()
              .endpointUrl(EndpointUrl.fromString("https://example.com/?x=1"))
              .putAttribute(AwsEndpointAttribute.AUTH_SCHEMES, List.of(sigV4("us-east-1")))
              .build();

      assertThat(LeanS3Endpoints.route(endpoint, Region.US_EAST_1)).isInstanceOf(Delegated.class);
    }

    @Test
    void aConfigurationTheRulesRejectIsDelegatedWithTheirMessage() {
      Settings fipsWithOverride =
          new Settings(
              Region.US_EAST_1, URI.create("http://localhost:9000"), true, false, true, false);

      Route route = resolve(fipsWithOverride, "my-bucket");

      assertThat(((Delegated) route).reason()).startsWith("the S3 endpoint rules failed:");
    }

    @Test
    void everyBucketIsDelegatedWhenTheStoreSaysSo() {
      LeanS3Endpoints endpoints =
          new LeanS3Endpoints(RULES, settings("us-east-1", null, false), "because");

      assertThat(endpoints.route("my-bucket")).isEqualTo(new Delegated("because"));
    }
  }

  @Nested
  class EachBucketIsResolvedOnce {

    @Test
    void laterReadsOfABucketReuseItsRoute() {
      CountingRules rules = new CountingRules();
      LeanS3Endpoints endpoints =
          new LeanS3Endpoints(rules, settings("us-east-1", "http://localhost:9000", true), null);

      Route first = endpoints.route("a");
      endpoints.route("a");
      endpoints.route("a");
      endpoints.route("b");

      assertThat(rules.calls.get()).isEqualTo(2);
      assertThat(endpoints.route("a")).isSameAs(first);
    }

    @Test
    void theCacheIsBoundedAndBucketsBeyondItAreResolvedEveryTime() {
      CountingRules rules = new CountingRules();
      LeanS3Endpoints endpoints =
          new LeanS3Endpoints(rules, settings("us-east-1", "http://localhost:9000", true), null);
      for (int i = 0; i < LeanS3Endpoints.MAX_CACHED_BUCKETS + 10; i++) {
        endpoints.route("bucket-" + i);
      }
      int before = rules.calls.get();

      endpoints.route("one-more");
      endpoints.route("one-more");

      assertThat(endpoints.cachedBuckets()).isEqualTo(LeanS3Endpoints.MAX_CACHED_BUCKETS);
      assertThat(rules.calls.get()).isEqualTo(before + 2);
    }

    @Test
    void aDelegatedBucketStaysDelegated() {
      LeanS3Endpoints endpoints =
          new LeanS3Endpoints(RULES, settings("us-east-1", "http://localhost:9000", true), null);
      assertThat(endpoints.route("b")).isInstanceOf(Direct.class);

      endpoints.delegate("b", "S3 answered 301");

      assertThat(endpoints.route("b")).isEqualTo(new Delegated("S3 answered 301"));
    }
  }

  @Nested
  class AnS3ClientsAddressingIsReproduced {

    private Optional<Settings> match(S3ClientBuilder builder, Settings start) {
      try (S3Client client =
          builder.credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
        String url =
            client
                .utilities()
                .getUrl(b -> b.bucket(LeanS3Endpoints.PROBE_BUCKET).key("k"))
                .toString();
        return LeanS3Endpoints.matchAddressing(RULES, start, url);
      }
    }

    @Test
    void pathStyleIsReadFromTheClient() {
      Optional<Settings> matched =
          match(
              S3Client.builder()
                  .region(Region.US_EAST_1)
                  .endpointOverride(URI.create("http://localhost:9000"))
                  .forcePathStyle(true),
              settings("us-east-1", "http://localhost:9000", false));

      assertThat(matched).map(Settings::forcePathStyle).contains(true);
    }

    @Test
    void virtualHostedAddressingIsReadFromTheClient() {
      Optional<Settings> matched =
          match(
              S3Client.builder()
                  .region(Region.US_EAST_1)
                  .endpointOverride(URI.create("http://localhost:9000")),
              settings("us-east-1", "http://localhost:9000", true));

      assertThat(matched).map(Settings::forcePathStyle).contains(false);
    }

    @Test
    void theLegacyGlobalEndpointOfUsEast1IsReadFromTheClient() {
      Optional<Settings> matched =
          match(S3Client.builder().region(Region.US_EAST_1), settings("us-east-1", null, false));

      assertThat(matched).map(Settings::useGlobalEndpoint).contains(true);
    }

    @Test
    void dualstackIsReadFromTheClient() {
      Optional<Settings> matched =
          match(
              S3Client.builder().region(Region.EU_WEST_1).dualstackEnabled(true),
              settings("eu-west-1", null, false));

      assertThat(matched).map(Settings::dualstack).contains(true);
    }

    @Test
    void accelerationCannotBeReproduced() {
      Optional<Settings> matched =
          match(
              S3Client.builder().region(Region.EU_WEST_1).accelerate(true),
              settings("eu-west-1", null, false));

      assertThat(matched).isEmpty();
    }
  }

  private static SigV4AuthScheme sigV4(String region) {
    return SigV4AuthScheme.builder()
        .signingName("s3")
        .signingRegion(region)
        .disableDoubleEncoding(true)
        .build();
  }

  /** The SDK's rules, counting how often they are asked. */
  private static final class CountingRules implements S3EndpointProvider {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
      calls.incrementAndGet();
      return RULES.resolveEndpoint(params);
    }
  }
}
