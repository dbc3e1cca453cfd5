package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class LeanS3ObjectStoreBuilderTest {

  private static LeanS3ObjectStore.Builder valid() {
    return LeanS3ObjectStore.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create());
  }

  @Test
  void aRegionIsRequired() {
    assertThatThrownBy(() -> LeanS3ObjectStore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("region");
  }

  @Test
  void sizesAndTimeoutsAreValidated() {
    assertThatThrownBy(() -> valid().maxConnections(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().firstByteTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().connectTimeout(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().receiveBufferSize(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> valid().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anS3ClientWhoseAddressingCannotBeReproducedLeavesEveryReadToTheFallback() throws Exception {
    List<S3Location> delegated = new ArrayList<>();
    ObjectStore fallback =
        new ObjectStore() {
          @Override
          public ObjectMetadata head(S3Location location) {
            delegated.add(location);
            return new ObjectMetadata(0, null, null, null, null, null, null, null, null);
          }

          @Override
          public GetResult get(ObjectRequest request) {
            delegated.add(request.location());
            return new GetResult.PreconditionFailed();
          }
        };
    try (S3Client accelerated =
            S3Client.builder()
                .region(Region.EU_WEST_1)
                .accelerate(true)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        LeanS3ObjectStore store =
            LeanS3ObjectStore.builder().configureFrom(accelerated).fallback(fallback).build()) {

      store.head(S3Location.of("bucket", "key"));
      store.get(ObjectRequest.of(S3Location.of("other", "key")));
    }

    assertThat(delegated)
        .containsExactly(S3Location.of("bucket", "key"), S3Location.of("other", "key"));
  }

  @Test
  void withoutAFallbackWhatNeedsOneFailsAsUnavailable() throws Exception {
    try (S3Client accelerated =
            S3Client.builder()
                .region(Region.EU_WEST_1)
                .accelerate(true)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        LeanS3ObjectStore store =
            LeanS3ObjectStore.builder().configureFrom(accelerated).fallback(null).build()) {

      assertThatThrownBy(() -> store.head(S3Location.of("bucket", "key")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE);
                assertThat(e.getMessage())
                    .contains("the S3 client's addressing could not be reproduced")
                    .contains("s3-accelerate")
                    .contains("no fallback store is configured");
              });
    }
  }

  @Test
  void closingTheStoreLeavesTheClientItWasConfiguredFromOpen() {
    try (S3Client client =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:1"))
            .forcePathStyle(true)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .build()) {
      LeanS3ObjectStore.builder().configureFrom(client).build().close();

      assertThat(client.utilities().getUrl(b -> b.bucket("b").key("k")).toString())
          .isEqualTo("http://127.0.0.1:1/b/k");
      assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
    }
  }
}
