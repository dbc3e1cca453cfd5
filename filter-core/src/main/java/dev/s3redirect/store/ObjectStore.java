package dev.s3redirect.store;

/**
 * Reads objects from S3 or an S3-compatible server; the filter's only way to reach storage.
 *
 * <p>{@link S3ObjectStore} implements it with the AWS SDK; tests and alternative clients may supply
 * their own.
 */
public interface ObjectStore {

  /**
   * Returns an object's metadata without its body ({@code HeadObject}).
   *
   * @param request what to read
   * @return the metadata
   * @throws ObjectStoreException if the object cannot be read; its {@link
   *     ObjectStoreException#failure()} says why
   */
  ObjectMetadata head(ObjectRequest request) throws ObjectStoreException;

  /**
   * Starts reading an object ({@code GetObject}): returns once the response headers arrived.
   *
   * @param request what to read
   * @return the open object; the caller must {@link ObjectContent#close() close} it after reading
   *     to the end, or {@link ObjectContent#abort() abort} it otherwise
   * @throws ObjectStoreException if the object cannot be read
   */
  ObjectContent get(ObjectRequest request) throws ObjectStoreException;
}
