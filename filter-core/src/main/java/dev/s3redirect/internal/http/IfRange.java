package dev.s3redirect.internal.http;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of an {@code If-Range} header (RFC 9110 §13.1.5): an entity-tag or an HTTP date. A
 * value that is neither never holds, so the range is ignored and the whole representation sent.
 */
public sealed interface IfRange {

  /**
   * Parses the header value: an entity-tag if it starts with a quote or {@code W/}, otherwise an
   * HTTP date.
   *
   * @param value the header value, or {@code null} when the header is absent
   * @return the condition, or empty when the header is absent
   */
  static Optional<IfRange> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String text = Ows.trim(value);
    if (text.startsWith("\"") || text.startsWith("W/")) {
      return Optional.of(
          EntityTag.parse(text).<IfRange>map(TagCondition::new).orElse(new Malformed(text)));
    }
    return Optional.of(
        HttpDates.parse(text).<IfRange>map(DateCondition::new).orElse(new Malformed(text)));
  }

  /**
   * Returns whether the range may be served for a representation with these validators.
   *
   * @param current the representation's validators
   * @return whether the condition is true
   */
  boolean holds(Validators current);

  /**
   * An entity-tag {@code If-Range}: holds on a strong match (a weak tag never holds).
   *
   * @param tag the tag the client has
   */
  record TagCondition(EntityTag tag) implements IfRange {
    /**
     * Validates the tag.
     *
     * @param tag the tag the client has
     */
    public TagCondition {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public boolean holds(Validators current) {
      return current.entityTag().map(tag::strongMatch).orElse(false);
    }
  }

  /**
   * A date {@code If-Range}: holds when it equals {@code Last-Modified} exactly.
   *
   * @param date the modification time the client has
   */
  record DateCondition(Instant date) implements IfRange {
    /**
     * Validates the date.
     *
     * @param date the modification time the client has
     */
    public DateCondition {
      Objects.requireNonNull(date, "date");
    }

    @Override
    public boolean holds(Validators current) {
      return current.lastModified().map(date::equals).orElse(false);
    }
  }

  /**
   * A value that is neither an entity-tag nor an HTTP date: never holds.
   *
   * @param value the value, for logs
   */
  record Malformed(String value) implements IfRange {
    /**
     * Validates the value.
     *
     * @param value the value, for logs
     */
    public Malformed {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean holds(Validators current) {
      return false;
    }
  }
}
