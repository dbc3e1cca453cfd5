package dev.s3redirect.internal.http;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The validators of a selected representation (RFC 9110 §8.8): what conditional requests are
 * evaluated against.
 *
 * @param entityTag the representation's entity-tag, if it has one
 * @param lastModified when it was last modified, truncated to whole seconds as HTTP dates are
 */
public record Validators(Optional<EntityTag> entityTag, Optional<Instant> lastModified) {

  /**
   * Validates the parts and truncates the date to seconds.
   *
   * @param entityTag the representation's entity-tag, if it has one
   * @param lastModified when it was last modified
   */
  public Validators {
    Objects.requireNonNull(entityTag, "entityTag");
    lastModified =
        Objects.requireNonNull(lastModified, "lastModified")
            .map(time -> time.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Returns validators from nullable parts.
   *
   * @param entityTag the entity-tag, or {@code null}
   * @param lastModified the modification time, or {@code null}
   * @return the validators
   */
  public static Validators of(EntityTag entityTag, Instant lastModified) {
    return new Validators(Optional.ofNullable(entityTag), Optional.ofNullable(lastModified));
  }
}
