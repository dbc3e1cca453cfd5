package dev.s3redirect.internal.http;

import java.util.Objects;
import java.util.Optional;

/**
 * An entity-tag (RFC 9110 §8.8.3): an opaque quoted string, weak when prefixed with {@code W/}.
 *
 * @param opaqueTag the quoted string, quotes included
 * @param weak whether the tag is weak
 */
public record EntityTag(String opaqueTag, boolean weak) {

  /**
   * Validates the opaque tag.
   *
   * @param opaqueTag the quoted string, quotes included
   * @param weak whether the tag is weak
   * @throws IllegalArgumentException if {@code opaqueTag} is not a quoted string of etagc
   */
  public EntityTag {
    Objects.requireNonNull(opaqueTag, "opaqueTag");
    if (opaqueTagEnd(opaqueTag, 0) != opaqueTag.length()) {
      throw new IllegalArgumentException("not an opaque-tag: " + opaqueTag);
    }
  }

  /**
   * Parses one entity-tag.
   *
   * @param value the text, without surrounding whitespace
   * @return the tag, or empty if {@code value} is not exactly one entity-tag
   */
  public static Optional<EntityTag> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    boolean weak = value.startsWith("W/");
    int start = weak ? 2 : 0;
    if (opaqueTagEnd(value, start) != value.length()) {
      return Optional.empty();
    }
    return Optional.of(new EntityTag(value.substring(start), weak));
  }

  /**
   * Returns a strong tag for an opaque value, adding the quotes.
   *
   * @param unquoted the tag's characters
   * @return the strong tag
   * @throws IllegalArgumentException if a character is not allowed in an entity-tag
   */
  public static EntityTag strong(String unquoted) {
    return new EntityTag('"' + unquoted + '"', false);
  }

  /**
   * Returns whether the two tags match under the strong comparison (RFC 9110 §8.8.3.2): neither is
   * weak and their opaque tags are identical.
   *
   * @param other the other tag
   * @return whether they match strongly
   */
  public boolean strongMatch(EntityTag other) {
    return !weak && !other.weak && opaqueTag.equals(other.opaqueTag);
  }

  /**
   * Returns whether the two tags match under the weak comparison (RFC 9110 §8.8.3.2): their opaque
   * tags are identical, weak or not.
   *
   * @param other the other tag
   * @return whether they match weakly
   */
  public boolean weakMatch(EntityTag other) {
    return opaqueTag.equals(other.opaqueTag);
  }

  /**
   * Returns the tag as it appears in a header.
   *
   * @return for example {@code "abc"} or {@code W/"abc"}
   */
  @Override
  public String toString() {
    return weak ? "W/" + opaqueTag : opaqueTag;
  }

  /**
   * Returns the index after the opaque-tag starting at {@code start}, or -1 if there is none.
   *
   * <p>{@code opaque-tag = DQUOTE *etagc DQUOTE}, {@code etagc = %x21 / %x23-7E / obs-text}.
   */
  static int opaqueTagEnd(String text, int start) {
    if (start >= text.length() || text.charAt(start) != '"') {
      return -1;
    }
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (!(c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF))) {
        return -1;
      }
    }
    return -1;
  }
}
