package dev.s3redirect;

import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the store steps of one exchange: every S3 request its {@link ExchangePlanner} asks for,
 * within a bound, with every body the store opens tracked, so that a body the answer does not use
 * is aborted at once and none is left open when the exchange ends. It never drains a body.
 */
final class ExchangeDriver {

  /**
   * S3 requests one client request may take to reach an answer, when the object keeps changing
   * under it or a backend keeps answering beside the question.
   */
  static final int MAX_STEPS = 6;

  private final ObjectStore store;
  private final Consumer<ObjectMetadata> headSeen;
  private final List<TrackedContent> opened = new ArrayList<>(2);
  private final long start = System.nanoTime();
  private Duration timeToFirstByte;

  /**
   * Creates the driver of one exchange.
   *
   * @param store the store it asks
   * @param headSeen is shown the answer of every {@code HeadObject} it sends
   */
  ExchangeDriver(ObjectStore store, Consumer<ObjectMetadata> headSeen) {
    this.store = store;
    this.headSeen = headSeen;
  }

  /**
   * Asks the store what the planner asks until the planner answers; a store failure, or a bound
   * reached, is answered by the planner too.
   */
  Answer decide(ExchangePlanner planner) {
    Step step = planner.start();
    try {
      for (int taken = 0; taken < MAX_STEPS && !(step instanceof Answer); taken++) {
        if (step instanceof Step.Get get) {
          GetResult result = get(get.request());
          step = planner.afterGet(get, result);
          if (result instanceof GetResult.Found found && !usesBody(step, found.content())) {
            // Never close() a body that was not read to its end: it would download the rest.
            found.content().abort();
          }
        } else {
          ObjectMetadata object = head(((Step.Head) step).location());
          step = planner.afterHead(object);
        }
      }
    } catch (ObjectStoreException e) {
      return planner.afterStoreFailure(e);
    }
    return step instanceof Answer answer ? answer : planner.changedOnEveryRead();
  }

  /** Sends a {@code GetObject}; a body it opens is tracked until released. */
  GetResult get(ObjectRequest request) throws ObjectStoreException {
    try {
      GetResult result = store.get(request);
      return result instanceof GetResult.Found found
          ? new GetResult.Found(track(found.content()))
          : result;
    } finally {
      answered();
    }
  }

  /**
   * Returns the source of the later parts of a multipart answer: each a pinned ranged {@code
   * GetObject}, judged by the planner; a body that cannot be used is aborted at once.
   */
  PartBody.Source parts(ExchangePlanner planner) {
    return (object, range) -> {
      GetResult result;
      try {
        result = get(planner.partRequest(object, range));
      } catch (ObjectStoreException e) {
        return new PartBody.Unusable("S3 failed on range " + range + ": " + e.getMessage());
      }
      PartBody part = planner.checkPart(object, range, result);
      if (part instanceof PartBody.Unusable && result instanceof GetResult.Found found) {
        found.content().abort();
      }
      return part;
    };
  }

  private ObjectMetadata head(S3Location location) throws ObjectStoreException {
    try {
      ObjectMetadata object = store.head(location);
      headSeen.accept(object);
      return object;
    } finally {
      answered();
    }
  }

  /**
   * Asks S3 for the object's metadata only for the checksums of a partial answer's digest field,
   * before any body is open; a failure costs the field, never the answer.
   */
  void headForChecksums(S3Location location) {
    try {
      headSeen.accept(store.head(location));
    } catch (ObjectStoreException e) {
      // The field is left out; the GetObject that follows meets the failure again if it lasts.
    }
  }

  private static boolean usesBody(Step step, ObjectContent body) {
    return (step instanceof Answer.ObjectBody answer && answer.body() == body)
        || (step instanceof Answer.ObjectParts parts && parts.first() == body);
  }

  /** Aborts every body that was neither read to its end and closed, nor aborted already. */
  void abortUnreleased() {
    for (TrackedContent content : opened) {
      content.abort();
    }
  }

  /** Returns the time from the start of the exchange to S3's first answer, or until now. */
  Duration timeToFirstByte() {
    return timeToFirstByte == null ? since(start) : timeToFirstByte;
  }

  /** Returns whether any S3 request was sent. */
  boolean askedS3() {
    return timeToFirstByte != null;
  }

  private void answered() {
    if (timeToFirstByte == null) {
      timeToFirstByte = since(start);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private ObjectContent track(ObjectContent content) {
    TrackedContent tracked = new TrackedContent(content);
    opened.add(tracked);
    return tracked;
  }

  /** A body that remembers whether it was released, so that the exchange can abort it if not. */
  private static final class TrackedContent implements ObjectContent {
    private final ObjectContent delegate;
    private boolean released;

    TrackedContent(ObjectContent delegate) {
      this.delegate = delegate;
    }

    @Override
    public ObjectMetadata metadata() {
      return delegate.metadata();
    }

    @Override
    public Optional<ByteRange> part() {
      return delegate.part();
    }

    @Override
    public long bodyLength() {
      return delegate.bodyLength();
    }

    @Override
    public InputStream body() {
      return delegate.body();
    }

    @Override
    public void abort() {
      if (!released) {
        released = true;
        delegate.abort();
      }
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        delegate.close();
      }
    }
  }
}
