package dev.s3redirect.internal.http;

import dev.s3redirect.store.ByteRange;
import java.util.List;
import java.util.Objects;

/**
 * What to answer a request for a representation: the decision, made in pure code, that one writer
 * then carries out.
 */
public sealed interface ResponsePlan {

  /**
   * Decides the answer (RFC 9110 §13.2.2): preconditions first, then {@code If-Range}, then {@code
   * Range}.
   *
   * <p>Several ranges are answered with {@code multipart/byteranges} only when that body is smaller
   * than the whole representation and the representation is not encoded; otherwise the whole
   * representation is sent with 200, which RFC 9110 §14.2 allows and which keeps many small or
   * overlapping ranges from amplifying the response (§17.15).
   *
   * @param request the request
   * @param representation the selected representation
   * @param maxRanges the most ranges one request may ask for
   * @return the plan
   */
  static ResponsePlan decide(
      ConditionalRequest request, Representation representation, int maxRanges) {
    Validators current = representation.validators();
    switch (Preconditions.evaluate(request, current)) {
      case NOT_MODIFIED:
        return new NotModified();
      case PRECONDITION_FAILED:
        return new PreconditionFailed();
      case PROCEED:
        break;
    }
    if (!request.hasApplicableRange() || !Preconditions.rangeMayBeServed(request, current)) {
      return new Full();
    }
    long length = representation.length();
    RangeResolution resolution = request.range().resolve(length, maxRanges);
    if (resolution instanceof RangeResolution.Unsatisfiable) {
      return new NotSatisfiable();
    }
    if (!(resolution instanceof RangeResolution.Satisfiable satisfiable)) {
      return new Full();
    }
    List<ByteRange> ranges = satisfiable.ranges();
    if (ranges.size() == 1) {
      return new Partial(ranges.get(0));
    }
    if (representation.encoded()
        || MultipartByteRanges.bodyLength(representation.contentType(), length, ranges) >= length) {
      return new Full();
    }
    return new Multipart(ranges);
  }

  /** 200 with the whole representation (for HEAD, its headers). */
  record Full() implements ResponsePlan {}

  /**
   * 206 with one range and a {@code Content-Range} header.
   *
   * @param range the range
   */
  record Partial(ByteRange range) implements ResponsePlan {
    /**
     * Validates the range.
     *
     * @param range the range
     */
    public Partial {
      Objects.requireNonNull(range, "range");
    }
  }

  /**
   * 206 {@code multipart/byteranges}, one part per range.
   *
   * @param ranges the ranges, in the order to send them; at least two
   */
  record Multipart(List<ByteRange> ranges) implements ResponsePlan {
    /**
     * Validates and copies the ranges.
     *
     * @param ranges the ranges, in the order to send them; at least two
     * @throws IllegalArgumentException if there are fewer than two
     */
    public Multipart {
      ranges = List.copyOf(ranges);
      if (ranges.size() < 2) {
        throw new IllegalArgumentException("a multipart answer needs two ranges or more");
      }
    }
  }

  /** 304 Not Modified: no body, the validators and caching headers only. */
  record NotModified() implements ResponsePlan {}

  /** 412 Precondition Failed. */
  record PreconditionFailed() implements ResponsePlan {}

  /** 416 Range Not Satisfiable, with {@code Content-Range: bytes *}{@code /length}. */
  record NotSatisfiable() implements ResponsePlan {}
}
