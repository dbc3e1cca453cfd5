package dev.s3redirect.testing;

import dev.s3redirect.S3Location;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ObjectStore} that answers from a script and records what it was asked, in the spirit of
 * OkHttp's {@code MockWebServer.enqueue}: for branches no real S3-compatible server provokes on
 * demand (a backend that ignores {@code Range}, an object that changes on every read, an incomplete
 * 304, a body shorter or longer than announced).
 *
 * <p>Each call takes the next scripted answer, which must be of the call's kind ({@code HeadObject}
 * or {@code GetObject}); a call the script did not foresee is recorded in {@link #unexpected()} and
 * fails with {@link ObjectStoreException.Failure#UNAVAILABLE}, so a test sees a 502 and the reason.
 * A call made while a body it handed out is still open is recorded there too.
 */
public final class ScriptedObjectStore implements ObjectStore {

  /** What a {@code HeadObject} or {@code GetObject} is answered with. */
  private sealed interface Scripted {}

  private record HeadAnswer(ObjectMetadata metadata) implements Scripted {}

  private record GetAnswer(GetResult result) implements Scripted {}

  private record Failure(boolean head, ObjectStoreException exception) implements Scripted {}

  private final Deque<Scripted> script = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();
  private final List<String> unexpected = new ArrayList<>();
  private final List<ScriptedBody> bodies = new ArrayList<>();
  private final List<ScriptedBody> handedOut = new ArrayList<>();

  /** Answers the next call, a {@code HeadObject}, with the metadata. */
  public synchronized ScriptedObjectStore head(ObjectMetadata metadata) {
    script.add(new HeadAnswer(metadata));
    return this;
  }

  /** Answers the next call, a {@code GetObject}, with the result (304, 412, 416). */
  public synchronized ScriptedObjectStore get(GetResult result) {
    script.add(new GetAnswer(result));
    return this;
  }

  /** Answers the next call, a {@code GetObject}, with the body. */
  public synchronized ScriptedObjectStore get(ScriptedBody body) {
    bodies.add(body);
    return get(new GetResult.Found(body));
  }

  /** Fails the next call, a {@code HeadObject} if {@code head}, else a {@code GetObject}. */
  public synchronized ScriptedObjectStore fail(boolean head, ObjectStoreException.Failure why) {
    script.add(new Failure(head, new ObjectStoreException(why, "scripted " + why, null)));
    return this;
  }

  @Override
  public synchronized ObjectMetadata head(S3Location location) throws ObjectStoreException {
    requests.add("HEAD " + location);
    Scripted next = next("HEAD " + location);
    if (next instanceof HeadAnswer answer) {
      return answer.metadata();
    }
    if (next instanceof Failure failure && failure.head()) {
      throw failure.exception();
    }
    throw unforeseen("HEAD " + location + " answered by " + next);
  }

  @Override
  public synchronized GetResult get(ObjectRequest request) throws ObjectStoreException {
    requests.add("GET " + describe(request));
    Scripted next = next("GET " + describe(request));
    if (next instanceof GetAnswer answer) {
      if (answer.result() instanceof GetResult.Found found
          && found.content() instanceof ScriptedBody body) {
        handedOut.add(body);
      }
      return answer.result();
    }
    if (next instanceof Failure failure && !failure.head()) {
      throw failure.exception();
    }
    throw unforeseen("GET " + describe(request) + " answered by " + next);
  }

  private Scripted next(String call) throws ObjectStoreException {
    // A body the exchange no longer needs must be released before it asks again: else it holds a
    // pooled connection while it waits for another.
    for (ScriptedBody body : handedOut) {
      if (body.release() == ScriptedBody.Release.OPEN) {
        unexpected.add(call + " while a body was still open: " + body.metadata());
      }
    }
    Scripted next = script.poll();
    if (next == null) {
      throw unforeseen(call + " beyond the script");
    }
    return next;
  }

  private ObjectStoreException unforeseen(String what) {
    unexpected.add(what);
    return new ObjectStoreException(ObjectStoreException.Failure.UNAVAILABLE, what, null);
  }

  /**
   * Describes a request as the tests assert on it: the location, then {@code Range}, {@code
   * If-Match}, {@code If-None-Match} and {@code If-Modified-Since} where present.
   */
  public static String describe(ObjectRequest request) {
    StringBuilder out = new StringBuilder(request.location().toString());
    if (request.range() != null) {
      out.append(" Range:").append(request.range());
    }
    if (request.ifMatch() != null) {
      out.append(" If-Match:").append(request.ifMatch());
    }
    if (request.ifNoneMatch() != null) {
      out.append(" If-None-Match:").append(request.ifNoneMatch());
    }
    if (request.ifModifiedSince() != null) {
      out.append(" If-Modified-Since:").append(request.ifModifiedSince());
    }
    return out.toString();
  }

  /** The calls made, in order ({@code HEAD s3://…} or {@code GET s3://… Range:… If-Match:…}). */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** Calls the script did not foresee. */
  public synchronized List<String> unexpected() {
    return List.copyOf(unexpected);
  }

  /** Whether every scripted answer was used. */
  public synchronized boolean exhausted() {
    return script.isEmpty();
  }

  /** The bodies handed out, in order. */
  public synchronized List<ScriptedBody> bodies() {
    return List.copyOf(bodies);
  }

  /**
   * A body the store hands out: what it announces (metadata, part) and the bytes it actually
   * delivers, which may be fewer or more; it may fail after some bytes. It records how it was
   * released.
   */
  public static final class ScriptedBody implements ObjectContent {

    /** How a body was released. */
    public enum Release {
      OPEN,
      CLOSED,
      ABORTED
    }

    private final ObjectMetadata metadata;
    private final Optional<ByteRange> part;
    private final byte[] delivered;
    private final long failAfter;
    private final IOException failure;
    private final InputStream stream;
    private volatile Release release = Release.OPEN;
    private final java.util.concurrent.atomic.AtomicInteger releases =
        new java.util.concurrent.atomic.AtomicInteger();
    private volatile long read;

    private ScriptedBody(
        ObjectMetadata metadata,
        Optional<ByteRange> part,
        byte[] delivered,
        long failAfter,
        IOException failure) {
      this.metadata = metadata;
      this.part = part;
      this.delivered = delivered;
      this.failAfter = failAfter;
      this.failure = failure;
      this.stream = new BodyStream();
    }

    /** The whole object, as announced. */
    public static ScriptedBody whole(ObjectMetadata metadata, byte[] object) {
      return new ScriptedBody(metadata, Optional.empty(), object, -1, null);
    }

    /** A 206 part of the object, as announced. */
    public static ScriptedBody part(ObjectMetadata metadata, byte[] object, ByteRange range) {
      byte[] bytes = new byte[(int) range.length()];
      System.arraycopy(object, (int) range.first(), bytes, 0, bytes.length);
      return new ScriptedBody(metadata, Optional.of(range), bytes, -1, null);
    }

    /** This body, delivering {@code bytes} instead of what it announces. */
    public ScriptedBody delivering(byte[] bytes) {
      return new ScriptedBody(metadata, part, bytes, failAfter, failure);
    }

    /** This body, failing with an {@link IOException} after {@code bytes} bytes. */
    public ScriptedBody failingAfter(long bytes) {
      return failingAfter(bytes, new IOException("scripted failure after " + bytes + " bytes"));
    }

    /** This body, failing with {@code failure} after {@code bytes} bytes. */
    public ScriptedBody failingAfter(long bytes, IOException failure) {
      return new ScriptedBody(metadata, part, delivered, bytes, failure);
    }

    @Override
    public ObjectMetadata metadata() {
      return metadata;
    }

    @Override
    public Optional<ByteRange> part() {
      return part;
    }

    @Override
    public InputStream body() {
      return stream;
    }

    /** The one stream of this body, as an S3 response has one. */
    private final class BodyStream extends InputStream {
      private final InputStream bytes = new ByteArrayInputStream(delivered);

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (release != Release.OPEN) {
          throw new IOException("read after the body was " + release);
        }
        if (failAfter >= 0 && read >= failAfter) {
          throw failure;
        }
        int wanted = failAfter >= 0 ? (int) Math.min(length, failAfter - read) : length;
        int n = bytes.read(buffer, offset, wanted);
        if (n > 0) {
          read += n;
        }
        return n;
      }
    }

    @Override
    public void abort() {
      releases.incrementAndGet();
      release = Release.ABORTED;
    }

    @Override
    public void close() {
      releases.incrementAndGet();
      release = Release.CLOSED;
    }

    /** How many times it was closed or aborted: exactly once is right. */
    public int releases() {
      return releases.get();
    }

    /** How the body was released. */
    public Release release() {
      return release;
    }

    /** The bytes read from it. */
    public long bytesRead() {
      return read;
    }
  }
}
