package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import java.util.Objects;

/**
 * One read of one object.
 *
 * @param location the object
 */
public record ObjectRequest(S3Location location) {

  /**
   * Validates the parts.
   *
   * @param location the object
   * @throws NullPointerException if the location is null
   */
  public ObjectRequest {
    Objects.requireNonNull(location, "location");
  }
}
