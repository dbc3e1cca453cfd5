package dev.s3redirect;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Decides whether a response the filter serves is streamed or redirected to a signed URL. Pure: the
 * caller finds out what it needs (the object's size, whether it takes a customer key).
 */
enum Delivery {
  /** Through the filter. */
  STREAM,
  /** A redirect to a signed URL. */
  REDIRECT,
  /** Depends on the object's size, which is not known yet: ask S3, then decide again. */
  NEEDS_SIZE;

  /** What the application said in the delivery header. */
  enum Asked {
    NOTHING,
    STREAM,
    REDIRECT,
    INVALID;

    /** Reads the header's value; case and surrounding whitespace do not matter. */
    static Asked of(String value) {
      if (value == null) {
        return NOTHING;
      }
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "stream" -> STREAM;
        case "redirect" -> REDIRECT;
        default -> INVALID;
      };
    }
  }

  /**
   * Decides how a response is delivered.
   *
   * @param policy the filter's policy, or {@code null} if it never redirects
   * @param method the request's method
   * @param hasRange whether the request has a {@code Range}
   * @param asked what the application said for this response
   * @param customerKey whether the object is read with a customer-provided key
   * @param size the object's size, if known
   * @return how to deliver
   */
  static Delivery decide(
      RedirectPolicy policy,
      String method,
      boolean hasRange,
      Asked asked,
      boolean customerKey,
      OptionalLong size) {
    if (policy == null || !"GET".equals(method) || customerKey || asked == Asked.STREAM) {
      return STREAM;
    }
    if (asked == Asked.REDIRECT) {
      return REDIRECT;
    }
    if (policy.onlyWithoutRange() && hasRange) {
      return STREAM;
    }
    return switch (policy.rule()) {
      case ON_REQUEST -> STREAM;
      case ALWAYS -> REDIRECT;
      case ABOVE_SIZE ->
          size.isEmpty()
              ? NEEDS_SIZE
              : size.getAsLong() >= policy.minimumSize() ? REDIRECT : STREAM;
    };
  }
}
