package dev.s3redirect.internal.http;

import dev.s3redirect.store.ByteRange;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RangeHeader} means for a representation of a known length: a result value, never an
 * exception, for every client input.
 */
public sealed interface RangeResolution {

  /**
   * The request is answered as if it had no {@code Range}: with the whole representation.
   *
   * @param reason why, for logs
   */
  record Ignored(String reason) implements RangeResolution {
    /**
     * Validates the reason.
     *
     * @param reason why, for logs
     */
    public Ignored {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The ranges to send, at least one; coalesced where they overlapped or nearly touched.
   *
   * @param ranges the ranges, in the order to send them
   */
  record Satisfiable(List<ByteRange> ranges) implements RangeResolution {
    /**
     * Validates and copies the ranges.
     *
     * @param ranges the ranges, in the order to send them
     * @throws IllegalArgumentException if there are none
     */
    public Satisfiable {
      ranges = List.copyOf(ranges);
      if (ranges.isEmpty()) {
        throw new IllegalArgumentException("no ranges");
      }
    }
  }

  /** No range of the set overlaps the representation: 416 (RFC 9110 §15.5.17). */
  record Unsatisfiable() implements RangeResolution {}
}
