package dev.s3redirect.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of an {@code If-Match} or {@code If-None-Match} header (RFC 9110 §13.1.1, §13.1.2):
 * {@code *} or a list of entity-tags. A malformed value is a value too, matching nothing.
 */
public sealed interface EntityTagCondition {

  /**
   * Parses the header's values; several header lines form one list (RFC 9110 §5.3).
   *
   * @param values the header values in order; empty when the header is absent
   * @return the condition, or empty when the header is absent
   */
  static Optional<EntityTagCondition> parse(List<String> values) {
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    String joined = Ows.trim(String.join(",", values));
    if (joined.equals("*")) {
      return Optional.of(new Any());
    }
    List<EntityTag> tags = new ArrayList<>();
    int i = 0;
    int n = joined.length();
    while (i < n) {
      char c = joined.charAt(i);
      if (c == ',' || c == ' ' || c == '\t') {
        i++;
        continue;
      }
      boolean weak = joined.startsWith("W/", i);
      int start = weak ? i + 2 : i;
      int end = EntityTag.opaqueTagEnd(joined, start);
      if (end < 0) {
        return Optional.of(new Malformed(joined));
      }
      tags.add(new EntityTag(joined.substring(start, end), weak));
      i = end;
      while (i < n && (joined.charAt(i) == ' ' || joined.charAt(i) == '\t')) {
        i++;
      }
      if (i < n && joined.charAt(i) != ',') {
        return Optional.of(new Malformed(joined));
      }
    }
    if (tags.isEmpty()) {
      return Optional.of(new Malformed(joined));
    }
    return Optional.of(new AnyOf(tags));
  }

  /**
   * Returns whether the condition holds for {@code If-Match}: {@code *} if the representation
   * exists, otherwise a strong match with one of the listed tags (RFC 9110 §13.1.1).
   *
   * @param current the representation's tag, or empty if it has none
   * @return whether the condition is true
   */
  boolean matchesStrongly(Optional<EntityTag> current);

  /**
   * Returns whether any listed tag matches under the weak comparison, as {@code If-None-Match}
   * requires; {@code *} matches any existing representation (RFC 9110 §13.1.2).
   *
   * @param current the representation's tag, or empty if it has none
   * @return whether a tag matches (so that {@code If-None-Match} is false)
   */
  boolean matchesWeakly(Optional<EntityTag> current);

  /** {@code *}: any current representation. */
  record Any() implements EntityTagCondition {
    @Override
    public boolean matchesStrongly(Optional<EntityTag> current) {
      return true;
    }

    @Override
    public boolean matchesWeakly(Optional<EntityTag> current) {
      return true;
    }
  }

  /**
   * A list of entity-tags.
   *
   * @param tags the tags, at least one
   */
  record AnyOf(List<EntityTag> tags) implements EntityTagCondition {
    /**
     * Validates and copies the tags.
     *
     * @param tags the tags, at least one
     * @throws IllegalArgumentException if there are none
     */
    public AnyOf {
      tags = List.copyOf(tags);
      if (tags.isEmpty()) {
        throw new IllegalArgumentException("no entity-tags");
      }
    }

    @Override
    public boolean matchesStrongly(Optional<EntityTag> current) {
      return current.isPresent() && tags.stream().anyMatch(tag -> tag.strongMatch(current.get()));
    }

    @Override
    public boolean matchesWeakly(Optional<EntityTag> current) {
      return current.isPresent() && tags.stream().anyMatch(tag -> tag.weakMatch(current.get()));
    }
  }

  /**
   * A value that is neither {@code *} nor a list of entity-tags; it matches nothing, so {@code
   * If-Match} fails and {@code If-None-Match} holds.
   *
   * @param value the value, for logs
   */
  record Malformed(String value) implements EntityTagCondition {
    /**
     * Validates the value.
     *
     * @param value the value, for logs
     */
    public Malformed {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean matchesStrongly(Optional<EntityTag> current) {
      return false;
    }

    @Override
    public boolean matchesWeakly(Optional<EntityTag> current) {
      return false;
    }
  }
}
