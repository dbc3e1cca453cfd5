package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingObjectStoreTest {

  /** A store that only has a name. */
  private record Named(String name) implements ObjectStore {
    @Override
    public ObjectMetadata head(S3Location location) {
      throw new UnsupportedOperationException();
    }

    @Override
    public GetResult get(ObjectRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  private static final RoutingObjectStore STORE =
      RoutingObjectStore.builder(new Named("default"))
          .route("media", new Named("media"))
          .route("media/private/", new Named("private"))
          .route("media/private/deep/", new Named("deep"))
          .route("s3://archive/2024", new Named("archive-2024"))
          .build();

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
    "media, a.txt, media",
    "media, private, media",
    "media, private/x, private",
    "media, private/deep/x, deep",
    "media, private/deeper, private",
    "archive, 2024/x, archive-2024",
    "archive, 2024-old/x, archive-2024",
    "archive, 2023/x, default",
    "other, media/private/x, default",
    "media-2, x, default",
  })
  void theLongestMatchingRouteWins(String bucket, String key, String store) {
    assertThat(STORE.storeFor(S3Location.of(bucket, key))).isEqualTo(new Named(store));
  }

  @Test
  void aRouteGivenTwiceOrMalformedIsRefused() {
    var builder = RoutingObjectStore.builder(new Named("default")).route("media", new Named("a"));
    assertThatThrownBy(() -> builder.route("media", new Named("b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> builder.route("no spaces allowed", new Named("b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isContendedWhenAnyStoreIs() {
    ObjectStore busy =
        new ObjectStore() {
          @Override
          public ObjectMetadata head(S3Location location) {
            throw new UnsupportedOperationException();
          }

          @Override
          public GetResult get(ObjectRequest request) {
            throw new UnsupportedOperationException();
          }

          @Override
          public boolean isContended() {
            return true;
          }
        };
    assertThat(STORE.isContended()).isFalse();
    assertThat(RoutingObjectStore.builder(new Named("d")).route("b", busy).build().isContended())
        .isTrue();
    assertThat(RoutingObjectStore.builder(busy).route("b", new Named("b")).build().isContended())
        .isTrue();
  }
}
