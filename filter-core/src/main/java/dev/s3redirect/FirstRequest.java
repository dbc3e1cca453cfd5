package dev.s3redirect;

import dev.s3redirect.internal.http.ConditionalRequest;
import dev.s3redirect.internal.http.EntityTag;
import dev.s3redirect.internal.http.EntityTagCondition;
import dev.s3redirect.internal.http.IfRange;
import dev.s3redirect.internal.http.RangeHeader;
import dev.s3redirect.store.ObjectRequest;
import java.util.Optional;

/**
 * Decides the first S3 request for a client request: what S3 is asked to evaluate on the way, so
 * that the common cases (whole object, one range, a conditional request, a matching {@code
 * If-Range}) take exactly one S3 request. Pure: no I/O.
 *
 * <p>Only what S3 and its look-alikes evaluate exactly as RFC 9110 does is forwarded, and only in
 * canonical form; the filter then judges every answer that carries the object against the full
 * rules itself ({@link dev.s3redirect.internal.http.ResponsePlan}), so a backend that ignores or
 * misjudges what it was sent costs extra bytes or requests, never a wrong answer:
 *
 * <ul>
 *   <li>One range, never several (S3 serves only the first of several, others the whole object),
 *       with numbers beyond any object's size written as open ranges (some servers announce a
 *       {@code Content-Length} computed from them).
 *   <li>{@code If-Match} and {@code If-None-Match} with one entity-tag or {@code *}, never lists
 *       (S3Proxy answers a list holding the object's tag with 412). A weak tag is sent in strong
 *       form to {@code If-None-Match}, whose weak comparison that is.
 *   <li>{@code If-Modified-Since} as an IMF-fixdate. Never {@code If-Unmodified-Since}: servers
 *       that keep sub-second modification times answer a date equal to {@code Last-Modified} with
 *       412 (S3Proxy does), and the filter cannot tell that from a true 412 without another
 *       request.
 *   <li>Conditions are forwarded in the order of RFC 9110 §13.2.2 and only while every earlier one
 *       is forwarded too, so that the backend can never answer 304 where an earlier condition would
 *       have made it 412.
 *   <li>{@code If-Range} with a strong entity-tag: the range, pinned with {@code If-Match} to that
 *       tag. A 412 then means the range is not to be served; the filter asks again for the whole
 *       object. A date {@code If-Range} is checked on the answer.
 * </ul>
 */
final class FirstRequest {

  /**
   * Ranges whose positions exceed this are sent open-ended: no S3 object is that large, and some
   * servers compute a {@code Content-Length} from the numbers they are sent.
   */
  static final long LARGEST_FORWARDED_POSITION = 1L << 50;

  private FirstRequest() {}

  /**
   * Returns the first step for a client request: {@link Step.Head} for {@code HEAD} and for several
   * ranges (whose parts are then fetched pinned to the entity-tag the metadata names), otherwise a
   * {@link Step.Get} carrying what S3 can evaluate. Its purpose is {@link Step.IfRangeTag} when
   * {@code If-Match} carries the {@code If-Range} tag, so that a 412 means "send the whole object"
   * rather than "precondition failed".
   *
   * @param location the object
   * @param request the client's method, conditions and range
   * @param maxRanges the most ranges one request may ask for
   * @return the first step
   */
  static Step plan(S3Location location, ConditionalRequest request, int maxRanges) {
    if (request.method().equals("HEAD")) {
      return new Step.Head(location);
    }
    ObjectRequest get = ObjectRequest.of(location);
    if (!request.method().equals("GET")) {
      // Preconditions on other methods answer 412 where GET answers 304: judged by the filter.
      return new Step.Get(get, new Step.ClientConditions());
    }
    boolean pinned = false;
    if (request.range() instanceof RangeHeader.ByteRanges ranges) {
      if (ranges.specs().size() > 1) {
        if (ranges.specs().size() <= maxRanges) {
          return new Step.Head(location);
        }
      } else {
        Optional<IfRange> ifRange = request.ifRange();
        if (ifRange.isEmpty() || ifRange.get() instanceof IfRange.DateCondition) {
          get = get.withRange(canonical(ranges.specs().get(0)));
        } else if (ifRange.get() instanceof IfRange.TagCondition tag && !tag.tag().weak()) {
          get = get.withRange(canonical(ranges.specs().get(0))).withIfMatch(tag.tag().toString());
          pinned = true;
        }
      }
    }
    return new Step.Get(
        withConditions(get, request, pinned),
        pinned ? new Step.IfRangeTag() : new Step.ClientConditions());
  }

  /** Adds the client's conditions S3 can evaluate, in RFC 9110 §13.2.2 order, stopping early. */
  private static ObjectRequest withConditions(
      ObjectRequest get, ConditionalRequest request, boolean ifMatchTaken) {
    if (request.ifMatch().isPresent()) {
      EntityTagCondition ifMatch = request.ifMatch().get();
      if (!(ifMatch instanceof EntityTagCondition.Any)) {
        // "*" always holds for an object that exists: nothing to forward, nothing to stop.
        Optional<EntityTag> single = singleTag(ifMatch).filter(tag -> !tag.weak());
        if (ifMatchTaken || single.isEmpty()) {
          return get; // If-Match not forwarded: nothing after it may be either
        }
        get = get.withIfMatch(single.get().toString());
      }
    } else if (request.ifUnmodifiedSince().isPresent()) {
      return get; // never forwarded, so nothing after it is either
    }
    if (request.ifNoneMatch().isPresent()) {
      EntityTagCondition ifNoneMatch = request.ifNoneMatch().get();
      if (ifNoneMatch instanceof EntityTagCondition.Any) {
        return get.withIfNoneMatch("*");
      }
      Optional<EntityTag> single = singleTag(ifNoneMatch);
      return single.isPresent() ? get.withIfNoneMatch(single.get().opaqueTag()) : get;
    }
    return request.ifModifiedSince().isPresent()
        ? get.withIfModifiedSince(request.ifModifiedSince().get())
        : get;
  }

  private static Optional<EntityTag> singleTag(EntityTagCondition condition) {
    return condition instanceof EntityTagCondition.AnyOf list && list.tags().size() == 1
        ? Optional.of(list.tags().get(0))
        : Optional.empty();
  }

  /** The {@code Range} value S3 is sent for one spec. */
  private static String canonical(RangeHeader.Spec spec) {
    if (spec instanceof RangeHeader.FromTo fromTo && fromTo.last() <= LARGEST_FORWARDED_POSITION) {
      return "bytes=" + fromTo.first() + "-" + fromTo.last();
    }
    if (spec instanceof RangeHeader.FromTo fromTo) {
      return "bytes=" + fromTo.first() + "-";
    }
    if (spec instanceof RangeHeader.From from) {
      return "bytes=" + from.first() + "-";
    }
    long suffix = ((RangeHeader.Suffix) spec).suffixLength();
    return suffix <= LARGEST_FORWARDED_POSITION ? "bytes=-" + suffix : "bytes=0-";
  }
}
