package dev.s3redirect.spring;

import static dev.s3redirect.spring.S3RedirectProperties.invalid;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.CustomerKeyProvider;
import dev.s3redirect.store.LeanS3ObjectStore;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.RoutingObjectStore;
import dev.s3redirect.store.S3ObjectStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stores the filter reads through: the default one on the S3 client, and one per {@code
 * s3-redirect.buckets.<route>} entry on an S3 client built from that entry. Owns what it built and
 * closes it with the context; never the application's client.
 */
final class ObjectStores implements AutoCloseable {

  private final ObjectStore store;
  private final ObjectStore defaultStore;
  private final Map<String, S3Client> routeClients;
  private final List<AutoCloseable> owned;

  private ObjectStores(
      ObjectStore store,
      ObjectStore defaultStore,
      Map<String, S3Client> routeClients,
      List<AutoCloseable> owned) {
    this.store = store;
    this.defaultStore = defaultStore;
    this.routeClients = routeClients;
    this.owned = owned;
  }

  /**
   * Builds the stores.
   *
   * @param client the default S3 client (the application's or the one built from {@code
   *     s3-redirect.s3.*})
   * @param settings the filter's settings
   * @param properties the bound properties
   * @param keys where customer keys (SSE-C) come from, for every store
   * @throws
   *     org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
   *     naming the first invalid property
   */
  static ObjectStores build(
      S3Client client,
      S3RedirectSettings settings,
      S3RedirectProperties properties,
      CustomerKeyProvider keys) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      ObjectStore fallback = store(client, properties.getS3(), "s3", settings, keys, owned);
      if (properties.getBuckets().isEmpty()) {
        return new ObjectStores(fallback, fallback, Map.of(), owned);
      }
      RoutingObjectStore.Builder routes = RoutingObjectStore.builder(fallback);
      Map<String, S3Client> routeClients = new LinkedHashMap<>();
      for (Map.Entry<String, S3RedirectProperties.S3> bucket : properties.getBuckets().entrySet()) {
        String prefix = "buckets[" + bucket.getKey() + "]";
        S3Client routed = S3ClientFactory.builder(bucket.getValue(), prefix + ".").build();
        owned.add(routed);
        try {
          routes.route(
              bucket.getKey(), store(routed, bucket.getValue(), prefix, settings, keys, owned));
        } catch (IllegalArgumentException e) {
          throw invalid(prefix, bucket.getKey(), e.getMessage());
        }
        routeClients.put(bucket.getKey(), routed);
      }
      return new ObjectStores(
          routes.build(), fallback, Collections.unmodifiableMap(routeClients), owned);
    } catch (RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  /** A store on one client: the engine, pool, timeouts and requester-pays of its properties. */
  private static ObjectStore store(
      S3Client client,
      S3RedirectProperties.S3 s3,
      String property,
      S3RedirectSettings settings,
      CustomerKeyProvider keys,
      List<AutoCloseable> owned) {
    if (s3.getEngine() == S3RedirectProperties.Engine.SDK) {
      return new S3ObjectStore(client, settings.firstByteTimeout())
          .withCustomerKeys(keys)
          .withRequesterPays(s3.isRequesterPays());
    }
    long receiveBuffer = s3.getReceiveBufferSize().toBytes();
    if (receiveBuffer < 0 || receiveBuffer > Integer.MAX_VALUE) {
      throw invalid(
          property + ".receive-buffer-size",
          s3.getReceiveBufferSize(),
          "must be between 0 and 2GB");
    }
    try {
      LeanS3ObjectStore lean =
          LeanS3ObjectStore.builder()
              .configureFrom(client)
              .maxConnections(s3.getMaxConnections())
              .connectTimeout(s3.getConnectionTimeout())
              .idleReadTimeout(s3.getSocketTimeout())
              .firstByteTimeout(settings.firstByteTimeout())
              .receiveBufferSize((int) receiveBuffer)
              .customerKeys(keys)
              .requesterPays(s3.isRequesterPays())
              .build();
      owned.add(lean);
      return lean;
    } catch (IllegalArgumentException e) {
      throw invalid(property, s3, e.getMessage());
    }
  }

  /** The store the filter reads through. */
  ObjectStore store() {
    return store;
  }

  /** Whether the object is read through the default client, not a route's. */
  boolean readsThroughDefault(S3Location location) {
    return !(store instanceof RoutingObjectStore routing)
        || routing.storeFor(location) == defaultStore;
  }

  /** The S3 client of each route, by route ({@code bucket} or {@code bucket/prefix}). */
  Map<String, S3Client> routeClients() {
    return routeClients;
  }

  @Override
  public void close() {
    closeAll(owned);
  }

  private static void closeAll(List<AutoCloseable> closeables) {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing the others matters more.
      }
    }
  }
}
