package dev.s3redirect.store;

import dev.s3redirect.AllowList;
import dev.s3redirect.S3Location;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Reads each object through the store of its bucket, or of a key prefix in it: buckets with their
 * own region, endpoint, credentials, customer keys or requester-pays setting, each behind a store
 * of its own. Objects no route matches go to the default store.
 *
 * <pre>{@code
 * ObjectStore store =
 *     RoutingObjectStore.builder(defaultStore)
 *         .route("archive", archiveStore)            // every key of the bucket archive
 *         .route("media/sealed/", sealedMediaStore)  // keys of media that start with sealed/
 *         .build();
 * }</pre>
 *
 * <p>Routes are written like {@link AllowList} entries and match as they do; when several match,
 * the longest key prefix wins. Routing decides only where a read goes: which objects may be served
 * at all is still the allow-list's decision. The stores are not closed by this one.
 */
public final class RoutingObjectStore implements ObjectStore {

  private final ObjectStore otherwise;
  private final List<Route> routes;

  private RoutingObjectStore(ObjectStore otherwise, List<Route> routes) {
    this.otherwise = otherwise;
    this.routes = routes;
  }

  /**
   * Returns a builder whose unrouted objects go to {@code defaultStore}.
   *
   * @param defaultStore the store of every object no route matches
   * @return a new builder
   */
  public static Builder builder(ObjectStore defaultStore) {
    return new Builder(defaultStore);
  }

  /**
   * Returns the store that reads an object.
   *
   * @param location the object
   * @return the store of the longest matching route, else the default store
   */
  public ObjectStore storeFor(S3Location location) {
    for (Route route : routes) {
      if (route.entry().permits(location)) {
        return route.store();
      }
    }
    return otherwise;
  }

  @Override
  public ObjectMetadata head(S3Location location) throws ObjectStoreException {
    return storeFor(location).head(location);
  }

  @Override
  public GetResult get(ObjectRequest request) throws ObjectStoreException {
    return storeFor(request.location()).get(request);
  }

  /** Whether any of the stores is contended: freeing a stalled client's connection is cheap. */
  @Override
  public boolean hasCustomerKey(S3Location location) {
    return storeFor(location).hasCustomerKey(location);
  }

  @Override
  public boolean isContended() {
    if (otherwise.isContended()) {
      return true;
    }
    for (Route route : routes) {
      if (route.store().isContended()) {
        return true;
      }
    }
    return false;
  }

  private record Route(AllowList.Entry entry, ObjectStore store) {}

  /** Collects the routes of a {@link RoutingObjectStore}. */
  public static final class Builder {
    private final ObjectStore otherwise;
    private final List<Route> routes = new ArrayList<>();

    private Builder(ObjectStore otherwise) {
      this.otherwise = Objects.requireNonNull(otherwise, "defaultStore");
    }

    /**
     * Sends the reads of a bucket, or of a key prefix in it, to a store.
     *
     * @param bucketOrPrefix {@code bucket} or {@code bucket/key-prefix}, as in an allow-list
     * @param store the store
     * @return this builder
     * @throws IllegalArgumentException if the route is malformed or given twice
     */
    public Builder route(String bucketOrPrefix, ObjectStore store) {
      AllowList.Entry entry = AllowList.Entry.parse(bucketOrPrefix);
      Objects.requireNonNull(store, "store");
      for (Route route : routes) {
        if (route.entry().equals(entry)) {
          throw new IllegalArgumentException("the route " + entry + " is given twice");
        }
      }
      routes.add(new Route(entry, store));
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the store
     */
    public RoutingObjectStore build() {
      List<Route> longestFirst = new ArrayList<>(routes);
      longestFirst.sort(
          Comparator.comparingInt((Route route) -> route.entry().keyPrefix().length()).reversed());
      return new RoutingObjectStore(otherwise, List.copyOf(longestFirst));
    }
  }
}
