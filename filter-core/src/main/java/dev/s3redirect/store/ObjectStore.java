package dev.s3redirect.store;

import dev.s3redirect.S3Location;

/**
 * Reads objects from S3 or an S3-compatible server; the filter's only way to reach storage.
 *
 * <p>{@link S3ObjectStore} implements it with the AWS SDK; tests and alternative clients may supply
 * their own.
 */
public interface ObjectStore {

  /**
   * Returns an object's metadata without its body ({@code HeadObject}), unconditionally.
   *
   * @param location the object
   * @return the metadata
   * @throws ObjectStoreException if the object cannot be read; its {@link
   *     ObjectStoreException#failure()} says why
   */
  ObjectMetadata head(S3Location location) throws ObjectStoreException;

  /**
   * Starts reading an object ({@code GetObject}) with the request's range and conditions: returns
   * once the response headers arrived.
   *
   * @param request what to read
   * @return the open object, whose content the caller must {@link ObjectContent#close() close}
   *     after reading to the end or {@link ObjectContent#abort() abort} otherwise; or S3's answer
   *     to a condition or the range
   * @throws ObjectStoreException if the object cannot be read
   */
  GetResult get(ObjectRequest request) throws ObjectStoreException;

  /**
   * Returns whether reads are waiting for a connection to S3 right now. The filter then frees the
   * connections of clients that stopped reading at once, rather than after the stall timeout. A
   * store that cannot tell answers {@code false}, the default.
   *
   * @return whether the store's connections are all in use and reads wait for one
   */
  default boolean isContended() {
    return false;
  }

  /**
   * Returns whether reading the object takes a customer-provided key (SSE-C) that this store sends.
   * Such an object is never answered with a redirect: the client could not send the key. A store
   * that cannot tell answers {@code false}, the default.
   *
   * @param location the object
   * @return whether its reads carry a customer key
   */
  default boolean hasCustomerKey(S3Location location) {
    return false;
  }
}
