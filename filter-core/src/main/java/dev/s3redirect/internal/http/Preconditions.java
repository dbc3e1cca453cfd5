package dev.s3redirect.internal.http;

/**
 * Evaluates a request's preconditions against the selected representation in the order of RFC 9110
 * §13.2.2. Pure: no I/O, and no failure for any client input.
 *
 * <p>Only called for a representation that exists: when the answer would be an error anyway (a
 * missing object), preconditions are not evaluated (RFC 9110 §13.2.1).
 */
public final class Preconditions {

  /** The result of the evaluation. */
  public enum Verdict {
    /** Every precondition holds: go on to {@code If-Range} and {@code Range}. */
    PROCEED,
    /** 304 Not Modified. */
    NOT_MODIFIED,
    /** 412 Precondition Failed. */
    PRECONDITION_FAILED
  }

  private Preconditions() {}

  /**
   * Evaluates {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match} and {@code
   * If-Modified-Since}, in that order, each only where RFC 9110 §13.2.2 says it applies.
   *
   * @param request the request
   * @param current the representation's validators
   * @return what to answer
   */
  public static Verdict evaluate(ConditionalRequest request, Validators current) {
    // Step 1 and 2: If-Match, or without it If-Unmodified-Since.
    if (request.ifMatch().isPresent()) {
      if (!request.ifMatch().get().matchesStrongly(current.entityTag())) {
        return Verdict.PRECONDITION_FAILED;
      }
    } else if (request.ifUnmodifiedSince().isPresent() && current.lastModified().isPresent()) {
      if (current.lastModified().get().isAfter(request.ifUnmodifiedSince().get())) {
        return Verdict.PRECONDITION_FAILED;
      }
    }
    // Step 3 and 4: If-None-Match, or without it If-Modified-Since (GET and HEAD only).
    if (request.ifNoneMatch().isPresent()) {
      if (request.ifNoneMatch().get().matchesWeakly(current.entityTag())) {
        return request.isGetOrHead() ? Verdict.NOT_MODIFIED : Verdict.PRECONDITION_FAILED;
      }
    } else if (request.isGetOrHead()
        && request.ifModifiedSince().isPresent()
        && current.lastModified().isPresent()) {
      if (!current.lastModified().get().isAfter(request.ifModifiedSince().get())) {
        return Verdict.NOT_MODIFIED;
      }
    }
    return Verdict.PROCEED;
  }

  /**
   * Returns whether the request's {@code Range} may be honoured: true without {@code If-Range},
   * otherwise as {@link IfRange#holds} says (RFC 9110 §13.2.2 step 5).
   *
   * @param request the request
   * @param current the representation's validators
   * @return whether to evaluate the range
   */
  public static boolean rangeMayBeServed(ConditionalRequest request, Validators current) {
    return request.ifRange().map(condition -> condition.holds(current)).orElse(true);
  }
}
