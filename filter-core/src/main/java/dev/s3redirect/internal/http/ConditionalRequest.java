package dev.s3redirect.internal.http;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The parts of a request that decide how a representation is answered: its method, its conditional
 * headers and its {@code Range}, each parsed into a value. Parsing never fails; what the RFC says
 * to ignore is kept as a value that is ignored.
 *
 * @param method the request method, case-sensitive (RFC 9110 §9.1): {@code get} is not GET
 * @param ifMatch the {@code If-Match} condition, if present
 * @param ifNoneMatch the {@code If-None-Match} condition, if present
 * @param ifModifiedSince the {@code If-Modified-Since} date, if present and valid
 * @param ifUnmodifiedSince the {@code If-Unmodified-Since} date, if present and valid
 * @param ifRange the {@code If-Range} condition, if present
 * @param range the {@code Range} header
 */
public record ConditionalRequest(
    String method,
    Optional<EntityTagCondition> ifMatch,
    Optional<EntityTagCondition> ifNoneMatch,
    Optional<Instant> ifModifiedSince,
    Optional<Instant> ifUnmodifiedSince,
    Optional<IfRange> ifRange,
    RangeHeader range) {

  /**
   * Validates the parts.
   *
   * @param method the request method, case-sensitive (RFC 9110 §9.1): {@code get} is not GET
   * @param ifMatch the {@code If-Match} condition, if present
   * @param ifNoneMatch the {@code If-None-Match} condition, if present
   * @param ifModifiedSince the {@code If-Modified-Since} date, if present and valid
   * @param ifUnmodifiedSince the {@code If-Unmodified-Since} date, if present and valid
   * @param ifRange the {@code If-Range} condition, if present
   * @param range the {@code Range} header
   */
  public ConditionalRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(ifMatch, "ifMatch");
    Objects.requireNonNull(ifNoneMatch, "ifNoneMatch");
    Objects.requireNonNull(ifModifiedSince, "ifModifiedSince");
    Objects.requireNonNull(ifUnmodifiedSince, "ifUnmodifiedSince");
    Objects.requireNonNull(ifRange, "ifRange");
    Objects.requireNonNull(range, "range");
  }

  /**
   * Parses a request's headers.
   *
   * <p>Dates that are not valid HTTP dates are dropped, as RFC 9110 §13.1.3 and §13.1.4 require; a
   * date header sent more than once is not a valid date either.
   *
   * @param method the request method
   * @param headers every value of a header, by name; an empty list when absent
   * @return the parsed request
   */
  public static ConditionalRequest parse(String method, Function<String, List<String>> headers) {
    return new ConditionalRequest(
        method,
        EntityTagCondition.parse(headers.apply("If-Match")),
        EntityTagCondition.parse(headers.apply("If-None-Match")),
        date(headers.apply("If-Modified-Since")),
        date(headers.apply("If-Unmodified-Since")),
        ifRange(headers.apply("If-Range")),
        single(headers.apply("Range")).map(RangeHeader::parse).orElse(new RangeHeader.Absent()));
  }

  /**
   * Returns a request with no conditions and no range.
   *
   * @param method the request method
   * @return the unconditional request
   */
  public static ConditionalRequest unconditional(String method) {
    return parse(method, name -> List.of());
  }

  /**
   * Returns this request without its {@code Range} and {@code If-Range}: what is left when the
   * range is not to be served.
   *
   * @return the request for the whole representation
   */
  public ConditionalRequest withoutRange() {
    return new ConditionalRequest(
        method,
        ifMatch,
        ifNoneMatch,
        ifModifiedSince,
        ifUnmodifiedSince,
        Optional.empty(),
        new RangeHeader.Absent());
  }

  /**
   * Returns whether a {@code Range} is to be evaluated at all: only GET has ranges (RFC 9110
   * §14.2), and only when the header was well formed.
   *
   * @return whether the range applies
   */
  public boolean hasApplicableRange() {
    return method.equals("GET") && range instanceof RangeHeader.ByteRanges;
  }

  /**
   * Returns whether the method is GET or HEAD, the methods {@code If-Modified-Since} and a 304
   * apply to.
   *
   * @return whether the method is safe to answer with 304
   */
  public boolean isGetOrHead() {
    return method.equals("GET") || method.equals("HEAD");
  }

  /**
   * An {@code If-Range} sent more than once is no valid condition: it never holds, so the range is
   * ignored rather than served unconditionally.
   */
  private static Optional<IfRange> ifRange(List<String> values) {
    if (values != null && values.size() > 1) {
      return Optional.of(new IfRange.Malformed(String.join(", ", values)));
    }
    return single(values).flatMap(IfRange::parse);
  }

  private static Optional<Instant> date(List<String> values) {
    return single(values).flatMap(HttpDates::parse);
  }

  /** A header that must appear once: several values, or a missing one, give empty. */
  private static Optional<String> single(List<String> values) {
    return values == null || values.size() != 1 ? Optional.empty() : Optional.of(values.get(0));
  }
}
