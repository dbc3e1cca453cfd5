package dev.s3redirect;

import dev.s3redirect.RedirectCapturingResponse.AppHeaders;
import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.internal.http.ConditionalRequest;
import dev.s3redirect.internal.http.MultipartByteRanges;
import dev.s3redirect.internal.http.Representation;
import dev.s3redirect.internal.http.ResponsePlan;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers one client request for an object the application named: asks S3, lets {@link
 * ResponsePlan} decide on every answer that carries the object, and has {@link ResponseWriter} send
 * the result.
 *
 * <p>The first S3 request is {@link FirstRequest}'s. What follows it depends on S3's answer:
 *
 * <ul>
 *   <li>The object (200 or 206): the plan is decided on its metadata. When the body holds what the
 *       plan needs, it is streamed (skipping to the range if the backend sent more); otherwise it
 *       is aborted, and the plan is answered (304, 412, 416) or fetched with a request pinned by
 *       {@code If-Match} to the entity-tag the decision was made on.
 *   <li>304: answered with what S3 sent, unless it lacks the {@code ETag}, or a {@code
 *       Cache-Control} or {@code Expires} the application did not set: then a {@code HeadObject}
 *       completes it (S3Proxy's 304 has only the {@code ETag}).
 *   <li>412: the client's answer when it came from the client's {@code If-Match}; after an {@code
 *       If-Range} pin, the whole object is asked for; after a pin of the filter's own, the object
 *       changed, and the exchange starts over.
 *   <li>416: a {@code HeadObject} gives the length and validators to decide on.
 * </ul>
 *
 * <p>Several ranges are served as {@code multipart/byteranges} from one {@code HeadObject} and one
 * ranged {@code GetObject} per part, each pinned to the entity-tag of the first, so an object
 * overwritten during the response cuts it short instead of splicing two versions.
 */
final class ObjectResponder {

  private static final Logger LOG = System.getLogger(S3RedirectFilter.class.getName());

  /** Seconds a client is asked to wait after S3 throttled us. */
  private static final String RETRY_AFTER_SECONDS = "1";

  /**
   * Steps (a HeadObject, a GetObject, or one multipart answer) one client request may take when the
   * object keeps changing under it, or a backend keeps answering beside the question.
   */
  private static final int MAX_STEPS = 6;

  private final ObjectStore store;
  private final S3RedirectSettings settings;
  private final S3RedirectListener listener;
  private final ResponseWriter writer;

  ObjectResponder(ObjectStore store, S3RedirectSettings settings, S3RedirectListener listener) {
    this.store = store;
    this.settings = settings;
    this.listener = listener;
    this.writer = new ResponseWriter(settings.bufferSize());
  }

  /** The next thing to do for an exchange. */
  private sealed interface Step {}

  /** Read the object's metadata, then decide. */
  private record HeadThenDecide() implements Step {}

  /**
   * Send a {@code GetObject}.
   *
   * @param request what to ask
   * @param origin what a 412 answer means
   */
  private record Fetch(ObjectRequest request, PinOrigin origin) implements Step {}

  /**
   * Fetch and send several ranges.
   *
   * @param metadata the object the decision was made on
   * @param ranges the parts
   */
  private record FetchParts(ObjectMetadata metadata, List<ByteRange> ranges) implements Step {}

  /** The response has been sent (or cut short). */
  private record Done() implements Step {}

  /** Who put the {@code If-Match} on a {@code GetObject}, which says what S3's 412 means. */
  private enum PinOrigin {
    /** The client's own conditions: a 412 is the answer. */
    CLIENT,
    /** The {@code If-Range} entity-tag: a 412 means "send the whole object". */
    IF_RANGE,
    /** The filter, to keep reading the version it decided on: a 412 means it changed. */
    FILTER
  }

  /** One client request being answered. */
  private final class Exchange {
    final HttpServletRequest request;
    final RedirectCapturingResponse response;
    final S3Location location;
    final ConditionalRequest conditional;
    final long start = System.nanoTime();
    Duration timeToFirstByte;
    private final List<TrackedContent> opened = new ArrayList<>(2);

    /** Remembers a body so that it is aborted if the exchange ends without releasing it. */
    ObjectContent track(ObjectContent content) {
      TrackedContent tracked = new TrackedContent(content);
      opened.add(tracked);
      return tracked;
    }

    void abortUnreleased() {
      for (TrackedContent content : opened) {
        content.abort();
      }
    }

    Exchange(HttpServletRequest request, RedirectCapturingResponse response, S3Location location) {
      this.request = request;
      this.response = response;
      this.location = location;
      this.conditional =
          ConditionalRequest.parse(
              request.getMethod(), name -> Collections.list(request.getHeaders(name)));
    }

    HttpServletResponse client() {
      return (HttpServletResponse) response.getResponse();
    }

    void answered() {
      if (timeToFirstByte == null) {
        timeToFirstByte = since(start);
      }
    }

    Duration timeToFirstByte() {
      return timeToFirstByte == null ? since(start) : timeToFirstByte;
    }

    boolean isHead() {
      return conditional.method().equals("HEAD");
    }
  }

  /**
   * Answers the request with the object, or with what S3's answer and the request's headers say.
   */
  void serve(HttpServletRequest request, RedirectCapturingResponse response, S3Location location)
      throws IOException {
    Exchange x = new Exchange(request, response, location);
    Step step = firstStep(FirstRequest.plan(location, x.conditional, settings.maxRanges()));
    try {
      for (int taken = 0; taken < MAX_STEPS && !(step instanceof Done); taken++) {
        if (step instanceof Fetch fetch) {
          GetResult result = store.get(fetch.request());
          x.answered();
          step = afterGet(x, fetch, result);
        } else if (step instanceof FetchParts parts) {
          step = serveParts(x, parts);
        } else {
          ObjectMetadata metadata = store.head(location);
          x.answered();
          step = afterHead(x, metadata);
        }
      }
    } catch (ObjectStoreException e) {
      sendUpstreamError(x.response, location, e, x.timeToFirstByte());
      return;
    } finally {
      // Whatever ended the exchange, no S3 body stays open, and none is drained.
      x.abortUnreleased();
    }
    if (!(step instanceof Done)) {
      LOG.log(Level.WARNING, "{0} changed on every read; answering 503", location);
      sendError(x.response, location, Outcome.UPSTREAM_FAILED, 503, x.timeToFirstByte());
    }
  }

  private static Step firstStep(FirstRequest first) {
    if (first instanceof FirstRequest.Get get) {
      return new Fetch(
          get.request(), get.rangePinnedByIfRange() ? PinOrigin.IF_RANGE : PinOrigin.CLIENT);
    }
    return new HeadThenDecide();
  }

  private Representation representation(Exchange x, ObjectMetadata metadata) {
    return new Representation(
        RepresentationHeaders.validators(metadata),
        metadata.contentLength(),
        RepresentationHeaders.contentType(x.response.applicationHeaders(), metadata),
        RepresentationHeaders.encoded(metadata));
  }

  /**
   * Decides the answer. Several ranges need the parts pinned to one version: without a strong
   * entity-tag to pin them with, the whole object is sent instead.
   */
  private ResponsePlan decide(Exchange x, ObjectMetadata metadata) {
    ResponsePlan plan =
        ResponsePlan.decide(x.conditional, representation(x, metadata), settings.maxRanges());
    if (plan instanceof ResponsePlan.Multipart && pinningTag(metadata).isEmpty()) {
      return new ResponsePlan.Full();
    }
    return plan;
  }

  /** The backend's own spelling of the object's entity-tag, if it is a strong one. */
  private static Optional<String> pinningTag(ObjectMetadata metadata) {
    boolean strong =
        RepresentationHeaders.validators(metadata)
            .entityTag()
            .map(tag -> !tag.weak())
            .orElse(false);
    return strong ? Optional.of(metadata.eTag()) : Optional.empty();
  }

  private Step afterHead(Exchange x, ObjectMetadata metadata) throws IOException {
    ResponsePlan plan = decide(x, metadata);
    if (answerWithoutBody(x, plan, metadata)) {
      return new Done();
    }
    if (x.isHead()) {
      AppHeaders app = x.response.takeOverForObject();
      writer.writeHeaders(
          x.client(),
          200,
          RepresentationHeaders.forObject(app, metadata, settings.defaultCacheControlValue()),
          metadata.contentLength());
      report(x, Outcome.SERVED, 200, 0);
      return new Done();
    }
    return fetchFor(x, plan, metadata);
  }

  /** The request, pinned to the version the plan was decided on, that fetches what it sends. */
  private static Step fetchFor(Exchange x, ResponsePlan plan, ObjectMetadata metadata) {
    if (plan instanceof ResponsePlan.Multipart multipart) {
      return new FetchParts(metadata, multipart.ranges());
    }
    ObjectRequest pinned = pinnedTo(x.location, metadata);
    if (plan instanceof ResponsePlan.Partial partial) {
      pinned = pinned.withRange(partial.range().toRangeHeaderValue());
    }
    return new Fetch(pinned, PinOrigin.FILTER);
  }

  /**
   * A request for the version the metadata describes: pinned with {@code If-Match} when it has a
   * strong entity-tag; otherwise unpinned, and whatever comes back is judged afresh.
   */
  private static ObjectRequest pinnedTo(S3Location location, ObjectMetadata metadata) {
    return ObjectRequest.of(location).withIfMatch(pinningTag(metadata).orElse(null));
  }

  private Step afterGet(Exchange x, Fetch fetch, GetResult result) throws IOException {
    if (result instanceof GetResult.Found found) {
      return afterContent(x, x.track(found.content()));
    }
    if (result instanceof GetResult.NotModified notModified) {
      ObjectRequest asked = fetch.request();
      if (asked.ifNoneMatch() == null && asked.ifModifiedSince() == null) {
        // A 304 to a question that cannot have one: decide on the object's metadata instead.
        return new HeadThenDecide();
      }
      return afterNotModified(x, notModified);
    }
    if (result instanceof GetResult.PreconditionFailed && fetch.origin() == PinOrigin.CLIENT) {
      answerWithoutBody(x, new ResponsePlan.PreconditionFailed(), null);
      return new Done();
    }
    if (result instanceof GetResult.PreconditionFailed && fetch.origin() == PinOrigin.IF_RANGE) {
      // The If-Range tag is not the current one: the whole object, on the client's conditions.
      var whole =
          (FirstRequest.Get)
              FirstRequest.plan(x.location, x.conditional.withoutRange(), settings.maxRanges());
      return new Fetch(whole.request(), PinOrigin.CLIENT);
    }
    // A 416, or a 412 to a pin of the filter's own (the object changed since it was looked at):
    // decide afresh on the object's metadata.
    return new HeadThenDecide();
  }

  private Step afterNotModified(Exchange x, GetResult.NotModified answer) throws IOException {
    AppHeaders app = x.response.applicationHeaders();
    boolean complete =
        answer.eTag() != null
            && (answer.cacheControl() != null || app.has("Cache-Control"))
            && (answer.expires() != null || app.has("Expires"));
    if (!complete) {
      return new HeadThenDecide();
    }
    var metadata =
        new ObjectMetadata(
            0,
            answer.eTag(),
            answer.lastModified(),
            null,
            null,
            null,
            null,
            answer.cacheControl(),
            answer.expires());
    answerWithoutBody(x, new ResponsePlan.NotModified(), metadata);
    return new Done();
  }

  private Step afterContent(Exchange x, ObjectContent content) throws IOException {
    ObjectMetadata metadata = content.metadata();
    ResponsePlan plan = decide(x, metadata);
    Optional<ByteRange> wanted = bytesToSend(plan, metadata.contentLength());
    boolean streamable = plan instanceof ResponsePlan.Full || plan instanceof ResponsePlan.Partial;
    if (streamable && (wanted.isEmpty() || covers(content, wanted.get()))) {
      stream(x, content, plan instanceof ResponsePlan.Partial ? 206 : 200, wanted);
      return new Done();
    }
    // Never close() a body that was not read to its end: it would download the rest.
    content.abort();
    if (answerWithoutBody(x, plan, metadata)) {
      return new Done();
    }
    return fetchFor(x, plan, metadata);
  }

  /** Whether the body holds the range: a part that encloses it, or the whole object. */
  private static boolean covers(ObjectContent content, ByteRange range) {
    return content.part().map(part -> part.encloses(range)).orElse(true);
  }

  /** The bytes a full or partial plan sends: none for an empty object or another plan. */
  private static Optional<ByteRange> bytesToSend(ResponsePlan plan, long length) {
    if (plan instanceof ResponsePlan.Partial partial) {
      return Optional.of(partial.range());
    }
    if (plan instanceof ResponsePlan.Full && length > 0) {
      return Optional.of(new ByteRange(0, length - 1));
    }
    return Optional.empty();
  }

  /**
   * Answers 304, 412 or 416 when the plan says so.
   *
   * @param metadata the object's metadata; for 412 it may be {@code null}
   * @return whether the plan was one of those
   */
  private boolean answerWithoutBody(Exchange x, ResponsePlan plan, ObjectMetadata metadata)
      throws IOException {
    if (plan instanceof ResponsePlan.NotModified) {
      AppHeaders app = x.response.takeOverForObject();
      writer.writeNotModified(
          x.client(),
          RepresentationHeaders.forNotModified(app, metadata, settings.defaultCacheControlValue()));
      report(x, Outcome.NOT_MODIFIED, 304, 0);
      return true;
    }
    if (plan instanceof ResponsePlan.PreconditionFailed) {
      sendError(
          x.response, x.location, Outcome.PRECONDITION_FAILED, 412, x.timeToFirstByte(), List.of());
      return true;
    }
    if (plan instanceof ResponsePlan.NotSatisfiable) {
      sendError(
          x.response,
          x.location,
          Outcome.RANGE_NOT_SATISFIABLE,
          416,
          x.timeToFirstByte(),
          List.of(
              new Header(
                  "Content-Range", ByteRange.unsatisfiedContentRange(metadata.contentLength()))));
      return true;
    }
    return false;
  }

  /** Streams the whole object (200) or one range of it (206) from a body that holds it. */
  private void stream(Exchange x, ObjectContent content, int status, Optional<ByteRange> wanted)
      throws IOException {
    ObjectMetadata metadata = content.metadata();
    long bodyStart = content.part().map(ByteRange::first).orElse(0L);
    long skip = wanted.map(range -> range.first() - bodyStart).orElse(0L);
    long length = wanted.map(ByteRange::length).orElse(0L);
    // A backend that ignored the range sent more than asked: read past what is not wanted.
    if (skip > 0 && !skipped(x, content, skip, 0)) {
      return;
    }
    AppHeaders app = x.response.takeOverForObject();
    List<Header> headers =
        new ArrayList<>(
            RepresentationHeaders.forObject(app, metadata, settings.defaultCacheControlValue()));
    if (status == 206) {
      headers.add(
          new Header("Content-Range", wanted.orElseThrow().contentRange(metadata.contentLength())));
    }
    HttpServletResponse client = x.client();
    writer.writeHeaders(client, status, headers, length);
    started(x);
    ResponseWriter.Streamed streamed = writer.copyBody(content, client, length);
    boolean readToTheEnd = skip + length == content.bodyLength();
    finishBody(x, content, status, streamed, streamed.bytesSent(), readToTheEnd);
  }

  /** Sends several ranges as {@code multipart/byteranges}, one pinned GET per part. */
  private Step serveParts(Exchange x, FetchParts parts) throws IOException, ObjectStoreException {
    List<ByteRange> ranges = parts.ranges();
    // The first part is asked for before anything is sent, so that an object that changed since
    // its metadata was read can still be answered afresh.
    GetResult first = store.get(partRequest(x.location, parts.metadata(), ranges.get(0)));
    if (!(first instanceof GetResult.Found found)) {
      return new HeadThenDecide();
    }
    ObjectContent content = x.track(found.content());
    ObjectMetadata metadata = content.metadata();
    // The answer that carries the bytes has the last word over the metadata the plan was made on.
    ResponsePlan replanned = decide(x, metadata);
    if (!replanned.equals(new ResponsePlan.Multipart(ranges)) || !covers(content, ranges.get(0))) {
      content.abort();
      if (answerWithoutBody(x, replanned, metadata)) {
        return new Done();
      }
      return replanned instanceof ResponsePlan.Multipart
          ? new HeadThenDecide()
          : fetchFor(x, replanned, metadata);
    }
    AppHeaders app = x.response.takeOverForObject();
    var layout =
        MultipartByteRanges.withRandomBoundary(
            RepresentationHeaders.contentType(app, metadata), metadata.contentLength(), ranges);
    List<Header> headers = new ArrayList<>();
    for (Header header :
        RepresentationHeaders.forObject(app, metadata, settings.defaultCacheControlValue())) {
      headers.add(
          header.name().equals("Content-Type")
              ? new Header("Content-Type", layout.responseContentType())
              : header);
    }
    HttpServletResponse client = x.client();
    writer.writeHeaders(client, 206, headers, layout.contentLength());
    started(x);
    long sent = 0;
    for (int i = 0; i < ranges.size(); i++) {
      ByteRange range = ranges.get(i);
      if (i > 0) {
        content = openPart(x, metadata, range, sent);
      }
      ResponseWriter.Streamed header = writer.writeBytes(client, layout.partHeader(i));
      sent += header.bytesSent();
      if (header.ending() != ResponseWriter.Ending.COMPLETE) {
        finishBody(x, content, 206, header, sent, false);
        return new Done();
      }
      long skip = range.first() - content.part().map(ByteRange::first).orElse(0L);
      if (skip > 0 && !skipped(x, content, skip, sent)) {
        return new Done();
      }
      ResponseWriter.Streamed body = writer.copyBody(content, client, range.length());
      sent += body.bytesSent();
      boolean readToTheEnd = skip + range.length() == content.bodyLength();
      if (body.ending() != ResponseWriter.Ending.COMPLETE) {
        finishBody(x, content, 206, body, sent, readToTheEnd);
        return new Done();
      }
      endBody(content, readToTheEnd);
    }
    ResponseWriter.Streamed end = writer.writeBytes(client, layout.closeDelimiter());
    sent += end.bytesSent();
    report(
        x,
        end.ending() == ResponseWriter.Ending.COMPLETE ? Outcome.SERVED : Outcome.CLIENT_ABORTED,
        206,
        sent);
    return new Done();
  }

  private static ObjectRequest partRequest(
      S3Location location, ObjectMetadata metadata, ByteRange range) {
    return pinnedTo(location, metadata).withRange(range.toRangeHeaderValue());
  }

  /**
   * Opens a later part. It must hold the range and be the version of the first part; once the
   * response is committed, anything else can only cut it short.
   */
  private ObjectContent openPart(Exchange x, ObjectMetadata metadata, ByteRange range, long sent)
      throws IOException {
    GetResult result;
    try {
      result = store.get(partRequest(x.location, metadata, range));
    } catch (ObjectStoreException e) {
      throw cutShort(x, sent, "S3 failed on range " + range + ": " + e.getMessage(), e);
    }
    if (!(result instanceof GetResult.Found found)) {
      throw cutShort(
          x, sent, "the object changed between the parts of a multipart answer: " + result, null);
    }
    ObjectContent content = x.track(found.content());
    ObjectMetadata part = content.metadata();
    if (!covers(content, range)
        || part.contentLength() != metadata.contentLength()
        || !Objects.equals(part.eTag(), metadata.eTag())) {
      content.abort();
      throw cutShort(
          x,
          sent,
          "S3 answered range "
              + range
              + " with "
              + content.part().map(ByteRange::toString).orElse("the whole object")
              + " of "
              + part.contentLength()
              + " bytes, ETag "
              + part.eTag()
              + " (expected ETag "
              + metadata.eTag()
              + ")",
          null);
    }
    return content;
  }

  /**
   * Reads past {@code skip} bytes of the body. On failure the body is aborted and the client gets a
   * 502 if nothing was sent yet, a response cut short otherwise.
   *
   * @return whether the bytes were skipped
   */
  private boolean skipped(Exchange x, ObjectContent content, long skip, long sent)
      throws IOException {
    try {
      content.body().skipNBytes(skip);
      return true;
    } catch (IOException e) {
      content.abort();
      failUpstream(x, sent, "S3 failed while skipping to a range: " + e.getMessage(), e);
      return false;
    }
  }

  /**
   * Ends an exchange whose S3 body failed: with a 502 or 504 while the response is not yet
   * committed, by cutting it short (throwing) once it is.
   */
  private void failUpstream(Exchange x, long sent, String why, IOException cause)
      throws IOException {
    if (!x.client().isCommitted()) {
      sendUpstreamError(
          x.response,
          x.location,
          new ObjectStoreException(
              cause instanceof SocketTimeoutException
                  ? ObjectStoreException.Failure.TIMEOUT
                  : ObjectStoreException.Failure.UNAVAILABLE,
              why,
              cause),
          x.timeToFirstByte());
      return;
    }
    throw cutShort(x, sent, why, cause);
  }

  private ResponseCutShortException cutShort(Exchange x, long sent, String why, Exception cause) {
    LOG.log(Level.WARNING, "{0}: {1}; cutting the client''s response short", x.location, why);
    report(x, Outcome.UPSTREAM_FAILED_AFTER_COMMIT, x.client().getStatus(), sent);
    // The status line and Content-Length are gone: the only honest signal left is a connection
    // that ends before Content-Length bytes. Containers abort the connection of a committed
    // response whose processing threw.
    return new ResponseCutShortException(why, cause);
  }

  /** Ends a body after a copy, and reports how the response ended. */
  private void finishBody(
      Exchange x,
      ObjectContent content,
      int status,
      ResponseWriter.Streamed streamed,
      long sent,
      boolean readToTheEnd)
      throws IOException {
    switch (streamed.ending()) {
      case COMPLETE -> {
        endBody(content, readToTheEnd);
        report(x, Outcome.SERVED, status, sent);
      }
      case CLIENT_GONE -> {
        // Never close(): on a partly read body it would download the rest of the object.
        content.abort();
        LOG.log(Level.DEBUG, "client went away after {0} bytes of {1}", sent, x.location);
        report(x, Outcome.CLIENT_ABORTED, status, sent);
      }
      case UPSTREAM_FAILED -> {
        content.abort();
        failUpstream(
            x,
            sent,
            "S3 failed after " + sent + " bytes: " + streamed.failure().getMessage(),
            streamed.failure());
      }
    }
  }

  /** Releases a body whose wanted bytes were all read: close() only if nothing is left unread. */
  private static void endBody(ObjectContent content, boolean readToTheEnd) {
    if (readToTheEnd) {
      content.close();
    } else {
      content.abort();
    }
  }

  void sendUpstreamError(
      RedirectCapturingResponse response,
      S3Location location,
      ObjectStoreException e,
      Duration elapsed)
      throws IOException {
    var answer =
        switch (e.failure()) {
          case NOT_FOUND -> new ErrorAnswer(404, Outcome.NOT_FOUND);
          case ACCESS_DENIED ->
              new ErrorAnswer(settings.accessDeniedStatus(), Outcome.ACCESS_DENIED);
          case THROTTLED -> new ErrorAnswer(503, Outcome.UPSTREAM_FAILED);
          case TIMEOUT -> new ErrorAnswer(504, Outcome.UPSTREAM_FAILED);
          case UNAVAILABLE -> new ErrorAnswer(502, Outcome.UPSTREAM_FAILED);
        };
    Level level = answer.outcome() == Outcome.UPSTREAM_FAILED ? Level.WARNING : Level.INFO;
    LOG.log(level, "{0}: answering {1}: {2}", location, answer.status(), e.getMessage());
    sendError(response, location, answer.outcome(), answer.status(), elapsed);
  }

  /** A status and how the listener hears of it. */
  private record ErrorAnswer(int status, Outcome outcome) {}

  void sendError(
      RedirectCapturingResponse response,
      S3Location location,
      Outcome outcome,
      int status,
      Duration elapsed)
      throws IOException {
    sendError(
        response,
        location,
        outcome,
        status,
        elapsed,
        status == 503 ? List.of(new Header("Retry-After", RETRY_AFTER_SECONDS)) : List.of());
  }

  private void sendError(
      RedirectCapturingResponse response,
      S3Location location,
      Outcome outcome,
      int status,
      Duration elapsed,
      List<Header> extraHeaders)
      throws IOException {
    response.takeOverForError();
    writer.writeError((HttpServletResponse) response.getResponse(), status, extraHeaders);
    report(new S3RedirectEvent(location, outcome, status, 0, elapsed));
  }

  private void report(Exchange x, Outcome outcome, int status, long bytesSent) {
    report(new S3RedirectEvent(x.location, outcome, status, bytesSent, x.timeToFirstByte()));
  }

  /** Tells the listener the object's bytes start; a listener that throws is logged and ignored. */
  private void started(Exchange x) {
    try {
      listener.onStreamStarted(x.location);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "S3RedirectListener failed on the start of " + x.location, e);
    }
  }

  /** A listener that throws must not break a download: its failure is logged, not propagated. */
  void report(S3RedirectEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "S3RedirectListener failed on " + event.outcome(), e);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
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

  /** Thrown after commit so that the container aborts the client's connection. */
  static final class ResponseCutShortException extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseCutShortException(String message, Throwable cause) {
      super(message + "; response cut short", cause);
    }
  }
}
