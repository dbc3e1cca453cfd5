package dev.s3redirect;

import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of an object answer in the order they go out: one range of the object, or the parts of
 * a {@code multipart/byteranges} body between their delimiters. It reads S3 only when asked for
 * more, so a writer that waits for its client holds S3 back too.
 *
 * <p>A body is closed when read to its end and aborted otherwise, never drained. The later parts of
 * a multipart answer, and a range whose body was released while the client stalled, are opened with
 * a ranged {@code GetObject} pinned to the version the answer started with, which the planner
 * checks before a byte of it is given out. After a stall the range is asked for a window at a time,
 * starting small and doubling while the client keeps up. Safe for one reader and one thread calling
 * {@link #releaseForStall} at a time.
 */
final class BodyCursor {

  /** One stretch of the answer's body. */
  private sealed interface Segment {}

  /** Bytes of the filter's own: a multipart delimiter and part header. */
  private record Delimiter(byte[] bytes) implements Segment {}

  /** A range of the object. */
  private record Range(ByteRange range) implements Segment {}

  private final ObjectMetadata object;
  private final List<Segment> segments;
  private final PartBody.Source source;
  private final boolean resumable;
  private int index;
  private int delimiterGiven;
  private long rangeGiven;
  private ObjectContent content;
  private long skip;
  private long left;
  private boolean toTheEnd;
  private long given;
  private int resumes;
  private final long resumeWindow;
  private long window;

  private BodyCursor(
      ObjectMetadata object,
      List<Segment> segments,
      PartBody.Source source,
      boolean resumable,
      long resumeWindow,
      ObjectContent first,
      Answer.Slice firstSlice) {
    this.object = object;
    this.segments = segments;
    this.source = source;
    this.resumable = resumable;
    this.resumeWindow = resumeWindow;
    use(first, firstSlice);
  }

  /**
   * Returns the cursor over a 200 or single-range 206 answer.
   *
   * @param answer the answer, holding the body S3 sent
   * @param source reopens the range after a stall
   * @param resumable whether a reopened range can be pinned to the same version
   * @param resumeWindow the bytes asked for first after a stall
   */
  static BodyCursor of(
      Answer.ObjectBody answer, PartBody.Source source, boolean resumable, long resumeWindow) {
    List<Segment> segments =
        answer.range().isPresent() ? List.of(new Range(answer.range().get())) : List.of();
    return new BodyCursor(
        answer.body().metadata(),
        segments,
        source,
        resumable,
        resumeWindow,
        answer.body(),
        answer.slice());
  }

  /**
   * Returns the cursor over a {@code multipart/byteranges} answer.
   *
   * @param answer the answer, holding the first part's body
   * @param partHeaders the delimiter and header bytes before each part
   * @param closeDelimiter the bytes after the last part
   * @param source opens the later parts, and reopens a part after a stall
   * @param resumeWindow the bytes asked for first after a stall
   */
  static BodyCursor of(
      Answer.ObjectParts answer,
      List<byte[]> partHeaders,
      byte[] closeDelimiter,
      PartBody.Source source,
      long resumeWindow) {
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < answer.ranges().size(); i++) {
      segments.add(new Delimiter(partHeaders.get(i)));
      segments.add(new Range(answer.ranges().get(i)));
    }
    segments.add(new Delimiter(closeDelimiter));
    return new BodyCursor(
        answer.first().metadata(),
        segments,
        source,
        true,
        resumeWindow,
        answer.first(),
        answer.firstSlice());
  }

  /**
   * Fills {@code buffer} with the next bytes of the answer.
   *
   * @return how many, at least one; or -1 at the end of the answer, every body released
   * @throws BodyFailure if S3 failed, or a range to open was not of the answer's version; the
   *     cursor's bodies are aborted
   */
  synchronized int next(byte[] buffer) throws BodyFailure {
    return next(buffer, buffer.length);
  }

  /**
   * Fills at most the first {@code max} bytes of {@code buffer} with the next bytes of the answer.
   *
   * @param max the most bytes to give, positive and no more than the buffer's length
   * @return how many, at least one; or -1 at the end of the answer, every body released
   * @throws BodyFailure as {@link #next(byte[])}
   */
  synchronized int next(byte[] buffer, int max) throws BodyFailure {
    while (index < segments.size()) {
      Segment segment = segments.get(index);
      if (segment instanceof Delimiter delimiter) {
        int n = Math.min(max, delimiter.bytes().length - delimiterGiven);
        if (n > 0) {
          System.arraycopy(delimiter.bytes(), delimiterGiven, buffer, 0, n);
          delimiterGiven += n;
          given += n;
          return n;
        }
        delimiterGiven = 0;
      } else {
        ByteRange range = ((Range) segment).range();
        if (rangeGiven < range.length()) {
          int n = read(range, buffer, max);
          rangeGiven += n;
          given += n;
          if (left == 0) {
            // Its last byte is read: free the S3 connection before the client has it all.
            release();
          }
          return n;
        }
        rangeGiven = 0;
      }
      index++;
    }
    release(); // an empty object's body: nothing to give, read to its end
    return -1;
  }

  private int read(ByteRange range, byte[] buffer, int max) throws BodyFailure {
    if (content == null) {
      long first = range.first() + rangeGiven;
      if (window == 0) {
        open(new ByteRange(first, range.last()));
      } else {
        // After a stall, a window at a time, doubling while the client keeps up: a client that
        // stalls again costs S3 no more than the window it did not take.
        open(new ByteRange(first, Math.min(range.last(), first + window - 1)));
        window = Math.min(2 * window, Long.MAX_VALUE / 4);
      }
    }
    try {
      if (skip > 0) {
        content.body().skipNBytes(skip);
        skip = 0;
      }
      int n = content.body().read(buffer, 0, (int) Math.min(max, left));
      if (n < 0) {
        throw new IOException(
            "S3 ended the body after "
                + (range.length() - left)
                + " of "
                + range.length()
                + " bytes");
      }
      left -= n;
      return n;
    } catch (IOException e) {
      abort();
      throw new BodyFailure("S3 failed after " + given + " bytes: " + e, e);
    }
  }

  private void open(ByteRange range) throws BodyFailure {
    PartBody part = source.open(object, range);
    if (part instanceof PartBody.Usable usable) {
      use(usable.body(), usable.slice());
    } else {
      throw new BodyFailure(((PartBody.Unusable) part).why(), null);
    }
  }

  private void use(ObjectContent body, Answer.Slice slice) {
    content = body;
    skip = slice.skip();
    left = slice.length();
    toTheEnd = slice.readsToTheEnd();
  }

  /** Releases the current body after its bytes were given: closed for reuse only at its end. */
  private void release() {
    if (content != null) {
      if (toTheEnd && left == 0 && skip == 0) {
        content.close();
      } else {
        content.abort();
      }
      content = null;
    }
  }

  /**
   * Aborts the body being read, if the answer can resume it later: the S3 connection is freed, and
   * the next {@link #next} reopens the range where it stopped.
   *
   * @return whether a body was released
   */
  synchronized boolean releaseForStall() {
    if (!resumable || content == null || index >= segments.size()) {
      return false;
    }
    content.abort();
    content = null;
    resumes++;
    window = resumeWindow;
    return true;
  }

  /** Aborts the body being read, if any: the answer ends here. */
  synchronized void abort() {
    if (content != null) {
      content.abort();
      content = null;
    }
  }

  /** Returns the bytes given so far. */
  synchronized long given() {
    return given;
  }

  /** Returns how many times a stalled body was released (each costs a ranged GET to resume). */
  synchronized int resumes() {
    return resumes;
  }
}
