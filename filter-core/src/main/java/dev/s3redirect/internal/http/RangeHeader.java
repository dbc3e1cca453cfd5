package dev.s3redirect.internal.http;

import dev.s3redirect.store.ByteRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code Range} request header, parsed for syntax only (RFC 9110 §14.1.1, §14.2): what it means
 * depends on the representation's length, which {@link #resolve(long, int)} takes.
 *
 * <p>Parsing never fails: a missing header, an unknown range unit and a malformed range set each
 * become a value that resolves to {@link RangeResolution.Ignored}, so the whole representation is
 * sent (RFC 9110 §14.2 lets a server ignore {@code Range}; a 416 is reserved for well-formed ranges
 * that miss the representation). Numbers too large for a {@code long} saturate at {@link
 * Long#MAX_VALUE}, which is beyond any representation's length, so they clamp or miss as the RFC
 * says instead of overflowing.
 */
public sealed interface RangeHeader {

  /**
   * Ranges separated by fewer bytes than this are sent as one: a part header costs about as much,
   * and it keeps many tiny ranges from amplifying the response (RFC 9110 §15.3.7.2).
   */
  long COALESCE_GAP = 80;

  /**
   * Parses a {@code Range} header value.
   *
   * @param value the header value, or {@code null} when the request has none
   * @return the parsed header; never {@code null}
   */
  static RangeHeader parse(String value) {
    if (value == null) {
      return new Absent();
    }
    int equals = value.indexOf('=');
    if (equals < 0) {
      return new Ignored("no range unit: " + value);
    }
    String unit = value.substring(0, equals);
    if (!unit.equalsIgnoreCase("bytes")) {
      // RFC 9110 §14.2: a Range with a unit the server does not support is ignored.
      return new Ignored("unsupported range unit: " + unit);
    }
    List<Spec> specs = new ArrayList<>();
    for (String element : value.substring(equals + 1).split(",", -1)) {
      // OWS is allowed around list elements (RFC 9110 §5.6.1), which here includes right after
      // "=", as nginx and most clients read it; any other whitespace makes the set malformed.
      String spec = Ows.trim(element);
      if (spec.isEmpty()) {
        continue; // RFC 9110 §5.6.1: empty list elements are not counted
      }
      Optional<Spec> parsed = Spec.parse(spec);
      if (parsed.isEmpty()) {
        return new Ignored("malformed byte range: " + spec);
      }
      specs.add(parsed.get());
    }
    if (specs.isEmpty()) {
      return new Ignored("no byte ranges");
    }
    return new ByteRanges(specs);
  }

  /**
   * Resolves the header against a representation of {@code length} bytes (RFC 9110 §14.1.2).
   *
   * <p>Members of the set that miss the representation are dropped; if none is left, the result is
   * {@link RangeResolution.Unsatisfiable}. Last positions at or beyond the end are clamped. More
   * than {@code maxRanges} members make the header {@link RangeResolution.Ignored} (RFC 9110 §14.2,
   * §17.15). Overlapping ranges, and ranges less than {@link #COALESCE_GAP} bytes apart, are
   * coalesced and then sent in ascending order; otherwise the client's order is kept.
   *
   * @param length the length of the representation in bytes
   * @param maxRanges the most ranges one request may ask for
   * @return what the header means for this representation
   */
  RangeResolution resolve(long length, int maxRanges);

  /** The request has no {@code Range} header. */
  record Absent() implements RangeHeader {
    @Override
    public RangeResolution resolve(long length, int maxRanges) {
      return new RangeResolution.Ignored("no Range header");
    }
  }

  /**
   * The request's {@code Range} is ignored: an unknown unit, or a malformed range set.
   *
   * @param reason why, for logs
   */
  record Ignored(String reason) implements RangeHeader {
    /**
     * Validates the reason.
     *
     * @param reason why, for logs
     */
    public Ignored {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public RangeResolution resolve(long length, int maxRanges) {
      return new RangeResolution.Ignored(reason);
    }
  }

  /**
   * A well-formed byte range set.
   *
   * @param specs the range specs, in the client's order; at least one
   */
  record ByteRanges(List<Spec> specs) implements RangeHeader {
    /**
     * Validates and copies the specs.
     *
     * @param specs the range specs, in the client's order; at least one
     * @throws IllegalArgumentException if there are none
     */
    public ByteRanges {
      specs = List.copyOf(specs);
      if (specs.isEmpty()) {
        throw new IllegalArgumentException("no range specs");
      }
    }

    @Override
    public RangeResolution resolve(long length, int maxRanges) {
      if (length < 0) {
        throw new IllegalArgumentException("length must not be negative");
      }
      if (specs.size() > maxRanges) {
        return new RangeResolution.Ignored(
            specs.size() + " ranges requested, more than the limit of " + maxRanges);
      }
      if (length == 0
          && specs.stream().anyMatch(spec -> spec instanceof Suffix s && s.suffixLength() > 0)) {
        // RFC 9110 §14.1.2: a non-zero suffix is satisfiable even for an empty representation,
        // but no Content-Range can name zero bytes: the whole, empty representation is sent.
        return new RangeResolution.Ignored("a suffix range of an empty representation");
      }
      List<ByteRange> satisfiable = new ArrayList<>(specs.size());
      for (Spec spec : specs) {
        spec.within(length).ifPresent(satisfiable::add);
      }
      if (satisfiable.isEmpty()) {
        return new RangeResolution.Unsatisfiable();
      }
      return new RangeResolution.Satisfiable(coalesce(satisfiable));
    }

    /** Merges ranges that overlap or nearly touch; keeps the client's order if none do. */
    private static List<ByteRange> coalesce(List<ByteRange> ranges) {
      if (ranges.size() == 1) {
        return ranges;
      }
      List<ByteRange> sorted = new ArrayList<>(ranges);
      sorted.sort(Comparator.comparingLong(ByteRange::first));
      List<ByteRange> merged = new ArrayList<>(sorted.size());
      ByteRange current = sorted.get(0);
      for (ByteRange next : sorted.subList(1, sorted.size())) {
        if (next.first() - current.last() <= COALESCE_GAP) {
          current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
        } else {
          merged.add(current);
          current = next;
        }
      }
      merged.add(current);
      return merged.size() == ranges.size() ? ranges : merged;
    }
  }

  /** One member of a byte range set, before the representation's length is known. */
  sealed interface Spec {

    /**
     * Returns the bytes of a representation of {@code length} bytes this spec selects.
     *
     * @param length the representation's length
     * @return the clamped range, or empty if the spec misses the representation
     */
    Optional<ByteRange> within(long length);

    private static Optional<Spec> parse(String spec) {
      int dash = spec.indexOf('-');
      if (dash < 0 || dash != spec.lastIndexOf('-')) {
        return Optional.empty();
      }
      String before = spec.substring(0, dash);
      String after = spec.substring(dash + 1);
      if (before.isEmpty()) {
        return digits(after).map(Suffix::new);
      }
      Optional<Long> first = digits(before);
      if (first.isEmpty()) {
        return Optional.empty();
      }
      if (after.isEmpty()) {
        return Optional.of(new From(first.get()));
      }
      Optional<Long> last = digits(after);
      if (last.isEmpty() || last.get() < first.get()) {
        return Optional.empty(); // RFC 9110 §14.1.1: last-pos before first-pos is invalid
      }
      return Optional.of(new FromTo(first.get(), last.get()));
    }

    /** ASCII digits only, saturating at {@link Long#MAX_VALUE}. */
    private static Optional<Long> digits(String text) {
      if (text.isEmpty()) {
        return Optional.empty();
      }
      long value = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          return Optional.empty();
        }
        int digit = c - '0';
        value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
      }
      return Optional.of(value);
    }
  }

  /**
   * {@code first-last}: an int-range with both positions.
   *
   * @param first the first position
   * @param last the last position, not before {@code first}
   */
  record FromTo(long first, long last) implements Spec {
    @Override
    public Optional<ByteRange> within(long length) {
      return first >= length
          ? Optional.empty()
          : Optional.of(new ByteRange(first, Math.min(last, length - 1)));
    }

    @Override
    public String toString() {
      return last == Long.MAX_VALUE ? first + "-" : first + "-" + last;
    }
  }

  /**
   * {@code first-}: from a position to the end.
   *
   * @param first the first position
   */
  record From(long first) implements Spec {
    @Override
    public Optional<ByteRange> within(long length) {
      return first >= length ? Optional.empty() : Optional.of(new ByteRange(first, length - 1));
    }

    @Override
    public String toString() {
      return first + "-";
    }
  }

  /**
   * {@code -suffixLength}: the last bytes; {@code -0} selects nothing.
   *
   * @param suffixLength how many bytes at the end
   */
  record Suffix(long suffixLength) implements Spec {
    @Override
    public Optional<ByteRange> within(long length) {
      return suffixLength == 0 || length == 0
          ? Optional.empty()
          : Optional.of(new ByteRange(Math.max(0, length - suffixLength), length - 1));
    }

    @Override
    public String toString() {
      return "-" + suffixLength;
    }
  }
}
