package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client gets, as {@link ExchangePlanner} decides it and {@link AnswerWriter} carries it
 * out. Answers that stream an object hold the body S3 sent for them; every other body of the
 * exchange is aborted.
 */
sealed interface Answer extends Step {

  /**
   * 200 with the whole object, or 206 with one range of it, from a body S3 sent.
   *
   * @param status 200 or 206
   * @param body the body holding the bytes to send
   * @param range the bytes to send (empty for an empty object); named in {@code Content-Range} when
   *     the status is 206
   * @param slice where those bytes lie in the body
   */
  record ObjectBody(int status, ObjectContent body, Optional<ByteRange> range, Slice slice)
      implements Answer {
    public ObjectBody {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(range, "range");
      Objects.requireNonNull(slice, "slice");
    }
  }

  /**
   * 206 {@code multipart/byteranges}: the first part from a body S3 sent, each later one from a
   * ranged {@code GetObject} pinned to the same version.
   *
   * @param first the body holding the first range
   * @param ranges the parts, at least two
   * @param firstSlice where the first range lies in {@code first}
   */
  record ObjectParts(ObjectContent first, List<ByteRange> ranges, Slice firstSlice)
      implements Answer {
    public ObjectParts {
      Objects.requireNonNull(first, "first");
      ranges = List.copyOf(ranges);
      Objects.requireNonNull(firstSlice, "firstSlice");
    }
  }

  /**
   * 200 to a {@code HEAD}: the headers a {@code GET} would carry, and no body.
   *
   * @param object the object's metadata
   */
  record ObjectHeaders(ObjectMetadata object) implements Answer {}

  /**
   * 304 with the validators and the caching headers a 200 would carry (RFC 9110 §15.4.5). Each
   * field is {@code null} where the object has none.
   *
   * @param eTag the entity-tag as S3 sent it
   * @param lastModified the modification time
   * @param cacheControl the stored {@code Cache-Control}
   * @param expires the stored {@code Expires}
   */
  record NotModified(String eTag, Instant lastModified, String cacheControl, String expires)
      implements Answer {

    static NotModified of(ObjectMetadata object) {
      return new NotModified(
          object.eTag(), object.lastModified(), object.cacheControl(), object.expires());
    }
  }

  /**
   * An error status with a generic body: its reason phrase, {@code text/plain}, never cached.
   *
   * @param status the status
   * @param outcome how the listener hears of it
   * @param headers headers the status needs ({@code Retry-After}, {@code Content-Range})
   * @param detail why, for the log only: it may hold S3 error codes and request ids
   */
  record ErrorResponse(int status, Outcome outcome, List<Header> headers, String detail)
      implements Answer {
    public ErrorResponse {
      Objects.requireNonNull(outcome, "outcome");
      headers = List.copyOf(headers);
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A redirect to a signed URL: no body, never cached.
   *
   * @param status 302 or 307
   * @param location the signed URL
   */
  record Redirect(int status, java.net.URI location) implements Answer {
    public Redirect {
      Objects.requireNonNull(location, "location");
    }
  }

  /**
   * A response already committed that can only end early: the client must see a failed download,
   * never a complete-looking one.
   *
   * @param outcome how the listener hears of it
   * @param detail why, for the log only
   */
  record CutShort(Outcome outcome, String detail) implements Answer {
    public CutShort {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Where the bytes to send lie in a body S3 sent.
   *
   * @param skip bytes before them (a backend that ignored the range sent the whole object)
   * @param length how many to send
   * @param readsToTheEnd whether they end where the body ends, so that it can be closed for reuse
   *     rather than aborted
   */
  record Slice(long skip, long length, boolean readsToTheEnd) {

    /** Returns where {@code range} lies in {@code body}, which must enclose it. */
    static Slice of(ObjectContent body, Optional<ByteRange> range) {
      long bodyStart = body.part().map(ByteRange::first).orElse(0L);
      long skip = range.map(r -> r.first() - bodyStart).orElse(0L);
      long length = range.map(ByteRange::length).orElse(0L);
      return new Slice(skip, length, skip + length == body.bodyLength());
    }
  }
}
