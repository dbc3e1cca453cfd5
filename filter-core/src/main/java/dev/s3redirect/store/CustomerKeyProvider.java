package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import java.util.Optional;

/**
 * Supplies the customer-provided encryption keys (SSE-C) of the objects that need one. The
 * application implements it; keys never come from the client's request. A store asks for every S3
 * request it sends ({@code GetObject}, {@code HeadObject}, each part of a multipart answer, each
 * resume after a stall), so an implementation should answer from memory and cache whatever it
 * fetches.
 */
@FunctionalInterface
public interface CustomerKeyProvider {

  /** No object needs a key. */
  CustomerKeyProvider NONE = location -> Optional.empty();

  /**
   * Returns the key an object was stored with.
   *
   * @param location the object
   * @return its key, or empty for an object stored without one
   */
  Optional<CustomerKey> keyFor(S3Location location);
}
