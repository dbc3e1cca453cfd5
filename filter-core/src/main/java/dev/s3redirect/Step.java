package dev.s3redirect;

import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.ObjectRequest;
import java.util.List;
import java.util.Objects;

/**
 * What an exchange does next, as {@link ExchangePlanner} decides it: ask the store, or give the
 * client its {@link Answer}.
 */
sealed interface Step permits Step.Head, Step.Get, Answer {

  /**
   * Ask for the object's metadata ({@code HeadObject}), then decide on it.
   *
   * @param location the object
   */
  record Head(S3Location location) implements Step {
    public Head {
      Objects.requireNonNull(location, "location");
    }
  }

  /**
   * Ask for the object ({@code GetObject}).
   *
   * @param request what to ask
   * @param purpose why, which says what S3's answers mean
   */
  record Get(ObjectRequest request, Purpose purpose) implements Step {
    public Get {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(purpose, "purpose");
    }
  }

  /** Why a {@code GetObject} carries the {@code If-Match} it carries: what a 412 means. */
  sealed interface Purpose {}

  /** The client's own conditions: a 412 is the client's answer. */
  record ClientConditions() implements Purpose {}

  /** {@code If-Match} carries the {@code If-Range} tag: a 412 means "send the whole object". */
  record IfRangeTag() implements Purpose {}

  /** The filter pinned the version it decided on: a 412 means the object changed since. */
  record SameVersion() implements Purpose {}

  /**
   * The first part of a {@code multipart/byteranges} answer, pinned to the version the ranges were
   * decided on; the answer is given only if its body confirms that decision.
   *
   * @param ranges the parts decided on
   */
  record FirstPart(List<ByteRange> ranges) implements Purpose {
    public FirstPart {
      ranges = List.copyOf(ranges);
    }
  }
}
