package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.internal.http.ConditionalRequest;
import dev.s3redirect.internal.http.Representation;
import dev.s3redirect.internal.http.ResponsePlan;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStoreException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides one exchange, step by step: given the client's request and the store's last answer, the
 * next S3 request or the client's answer. Pure: it reads the metadata of the bodies it is shown,
 * never their bytes, and keeps no state between calls.
 *
 * <p>The first S3 request is {@link FirstRequest}'s. Every answer that carries the object is judged
 * by {@link ResponsePlan} before a byte goes out: a body that holds what the plan needs is streamed
 * (past what a backend sent beside the range); otherwise the plan is answered (304, 412, 416) or
 * fetched with a request pinned by {@code If-Match} to the entity-tag it was decided on. A 304 is
 * passed on when it carries what the 200 would; a 416, and a 412 to a pin of the filter's own, mean
 * asking for the metadata afresh. Several ranges are fetched one pinned {@code GetObject} per part,
 * so an object overwritten during the answer cuts it short instead of splicing two versions.
 */
final class ExchangePlanner {

  /** Seconds a client is asked to wait after S3 throttled us. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final S3Location location;
  private final ConditionalRequest request;
  private final AppHeaders app;
  private final int maxRanges;
  private final int accessDeniedStatus;

  /**
   * Creates the planner of one exchange.
   *
   * @param location the object the application named
   * @param request the client's method, conditions and range
   * @param app what the application set on its response
   * @param maxRanges the most ranges one request may ask for
   * @param accessDeniedStatus the status for S3's access denied
   */
  ExchangePlanner(
      S3Location location,
      ConditionalRequest request,
      AppHeaders app,
      int maxRanges,
      int accessDeniedStatus) {
    this.location = Objects.requireNonNull(location, "location");
    this.request = Objects.requireNonNull(request, "request");
    this.app = Objects.requireNonNull(app, "app");
    this.maxRanges = maxRanges;
    this.accessDeniedStatus = accessDeniedStatus;
  }

  /** Returns the first step. */
  Step start() {
    return FirstRequest.plan(location, request, maxRanges);
  }

  /** Returns the step after S3 sent the object's metadata. */
  Step afterHead(ObjectMetadata object) {
    ResponsePlan plan = decide(object);
    Optional<Answer> bodiless = withoutBody(plan, object);
    if (bodiless.isPresent()) {
      return bodiless.get();
    }
    return request.method().equals("HEAD") ? new Answer.ObjectHeaders(object) : fetch(plan, object);
  }

  /** Returns the step after S3 answered a {@code GetObject}. */
  Step afterGet(Step.Get asked, GetResult result) {
    if (result instanceof GetResult.Found found) {
      return afterBody(asked.purpose(), found.content());
    }
    if (result instanceof GetResult.NotModified notModified) {
      ObjectRequest question = asked.request();
      if (question.ifNoneMatch() == null && question.ifModifiedSince() == null) {
        return new Step.Head(location); // a 304 to a question that cannot have one
      }
      return isComplete(notModified)
          ? new Answer.NotModified(
              notModified.eTag(),
              notModified.lastModified(),
              notModified.cacheControl(),
              notModified.expires())
          : new Step.Head(location);
    }
    if (result instanceof GetResult.PreconditionFailed) {
      if (asked.purpose() instanceof Step.ClientConditions) {
        return preconditionFailed();
      }
      if (asked.purpose() instanceof Step.IfRangeTag) {
        // The If-Range tag is not the current one: the whole object, on the client's conditions.
        return FirstRequest.plan(location, request.withoutRange(), maxRanges);
      }
    }
    // A 416, or a 412 to a pin of the filter's own (the object changed since it was looked at).
    return new Step.Head(location);
  }

  /**
   * Whether S3's 304 carries what a 200 would: the entity-tag, and the {@code Cache-Control} and
   * {@code Expires} unless the application set its own. S3Proxy's carries only the entity-tag.
   */
  private boolean isComplete(GetResult.NotModified answer) {
    return answer.eTag() != null
        && (answer.cacheControl() != null || app.has("Cache-Control"))
        && (answer.expires() != null || app.has("Expires"));
  }

  private Step afterBody(Step.Purpose purpose, ObjectContent body) {
    ObjectMetadata object = body.metadata();
    // The answer that carries the bytes has the last word over any metadata read before it.
    ResponsePlan plan = decide(object);
    if (purpose instanceof Step.FirstPart first) {
      List<ByteRange> ranges = first.ranges();
      if (plan.equals(new ResponsePlan.Multipart(ranges)) && covers(body, ranges.get(0))) {
        return new Answer.ObjectParts(
            body, ranges, Answer.Slice.of(body, Optional.of(ranges.get(0))));
      }
      if (plan instanceof ResponsePlan.Multipart) {
        return new Step.Head(location);
      }
    } else if (plan instanceof ResponsePlan.Full || plan instanceof ResponsePlan.Partial) {
      Optional<ByteRange> wanted = bytesToSend(plan, object.contentLength());
      if (wanted.isEmpty() || covers(body, wanted.get())) {
        int status = plan instanceof ResponsePlan.Partial ? 206 : 200;
        return new Answer.ObjectBody(status, body, wanted, Answer.Slice.of(body, wanted));
      }
    }
    return withoutBody(plan, object).map(Step.class::cast).orElseGet(() -> fetch(plan, object));
  }

  /** Returns the answer to a store failure before the response started. */
  Answer.ErrorResponse afterStoreFailure(ObjectStoreException e) {
    return switch (e.failure()) {
      case NOT_FOUND -> error(404, Outcome.NOT_FOUND, e.getMessage());
      case ACCESS_DENIED -> error(accessDeniedStatus, Outcome.ACCESS_DENIED, e.getMessage());
      case THROTTLED -> error(503, Outcome.UPSTREAM_FAILED, e.getMessage());
      case TIMEOUT -> error(504, Outcome.UPSTREAM_FAILED, e.getMessage());
      case UNAVAILABLE -> error(502, Outcome.UPSTREAM_FAILED, e.getMessage());
    };
  }

  /**
   * Returns the answer to an S3 body that failed: 502 (504 after an idle-read timeout) while the
   * response is not committed; once it is, only cutting it short is honest.
   *
   * @param why what failed, for the log
   * @param cause the failure
   * @param committed whether the client already has the status line
   */
  static Answer afterBodyFailure(String why, Throwable cause, boolean committed) {
    // Sealed: either the client's error status, or the end of a committed response.
    if (committed) {
      return new Answer.CutShort(Outcome.UPSTREAM_FAILED_AFTER_COMMIT, why);
    }
    return error(cause instanceof SocketTimeoutException ? 504 : 502, Outcome.UPSTREAM_FAILED, why);
  }

  /** Returns the answer when the object changed on every read, or S3 kept answering beside it. */
  Answer.ErrorResponse changedOnEveryRead() {
    return error(503, Outcome.UPSTREAM_FAILED, "the object changed on every read");
  }

  /**
   * Returns whether a range of the object can be asked again pinned to this very version (it has a
   * strong entity-tag), so that a body released while its client stalls can resume.
   */
  static boolean canResume(ObjectMetadata object) {
    return pinningTag(object).isPresent();
  }

  /** Returns the request for a later part of a multipart answer, pinned to the first's version. */
  ObjectRequest partRequest(ObjectMetadata object, ByteRange range) {
    return pinnedTo(object).withRange(range.toRangeHeaderValue());
  }

  /**
   * Judges S3's answer to {@link #partRequest}: usable only if it holds the range of the very
   * version the answer started with. The response is committed by then: anything else can only cut
   * it short.
   *
   * @return the body and where the range lies in it, or why the response must be cut short
   */
  PartBody checkPart(ObjectMetadata object, ByteRange range, GetResult result) {
    if (!(result instanceof GetResult.Found found)) {
      return new PartBody.Unusable(
          "the object changed between the parts of a multipart answer: " + result);
    }
    ObjectContent body = found.content();
    ObjectMetadata part = body.metadata();
    if (covers(body, range)
        && part.contentLength() == object.contentLength()
        && Objects.equals(part.eTag(), object.eTag())) {
      return new PartBody.Usable(body, Answer.Slice.of(body, Optional.of(range)));
    }
    return new PartBody.Unusable(
        String.format(
            "S3 answered range %s with %s of %d bytes, ETag %s (expected ETag %s)",
            range,
            body.part().map(ByteRange::toString).orElse("the whole object"),
            part.contentLength(),
            part.eTag(),
            object.eTag()));
  }

  /**
   * Decides the answer. Several ranges need the parts pinned to one version: without a strong
   * entity-tag to pin them with, the whole object is sent instead.
   */
  private ResponsePlan decide(ObjectMetadata object) {
    var representation =
        new Representation(
            RepresentationHeaders.validators(object),
            object.contentLength(),
            RepresentationHeaders.contentType(app, object),
            RepresentationHeaders.encoded(object));
    ResponsePlan plan = ResponsePlan.decide(request, representation, maxRanges);
    if (plan instanceof ResponsePlan.Multipart && pinningTag(object).isEmpty()) {
      return new ResponsePlan.Full();
    }
    return plan;
  }

  /** The answer to a plan that sends no object body: 304, 412 or 416. */
  private Optional<Answer> withoutBody(ResponsePlan plan, ObjectMetadata object) {
    if (plan instanceof ResponsePlan.NotModified) {
      return Optional.of(Answer.NotModified.of(object));
    }
    if (plan instanceof ResponsePlan.PreconditionFailed) {
      return Optional.of(preconditionFailed());
    }
    if (plan instanceof ResponsePlan.NotSatisfiable) {
      return Optional.of(
          new Answer.ErrorResponse(
              416,
              Outcome.RANGE_NOT_SATISFIABLE,
              List.of(
                  new Header(
                      "Content-Range", ByteRange.unsatisfiedContentRange(object.contentLength()))),
              "no range of the request overlaps the object"));
    }
    return Optional.empty();
  }

  private static Answer.ErrorResponse preconditionFailed() {
    return new Answer.ErrorResponse(
        412, Outcome.PRECONDITION_FAILED, List.of(), "a precondition of the request failed");
  }

  /** The request, pinned to the version the plan was decided on, that fetches what it sends. */
  private Step.Get fetch(ResponsePlan plan, ObjectMetadata object) {
    if (plan instanceof ResponsePlan.Multipart multipart) {
      List<ByteRange> ranges = multipart.ranges();
      return new Step.Get(partRequest(object, ranges.get(0)), new Step.FirstPart(ranges));
    }
    ObjectRequest pinned = pinnedTo(object);
    if (plan instanceof ResponsePlan.Partial partial) {
      pinned = pinned.withRange(partial.range().toRangeHeaderValue());
    }
    return new Step.Get(pinned, new Step.SameVersion());
  }

  /**
   * A request for the version the metadata describes: pinned with {@code If-Match} when it has a
   * strong entity-tag; otherwise unpinned, and whatever comes back is judged afresh.
   */
  private ObjectRequest pinnedTo(ObjectMetadata object) {
    return ObjectRequest.of(location).withIfMatch(pinningTag(object).orElse(null));
  }

  /** The backend's own spelling of the object's entity-tag, if it is a strong one. */
  private static Optional<String> pinningTag(ObjectMetadata object) {
    boolean strong =
        RepresentationHeaders.validators(object).entityTag().map(tag -> !tag.weak()).orElse(false);
    return strong ? Optional.of(object.eTag()) : Optional.empty();
  }

  /** Whether the body holds the range: a part that encloses it, or the whole object. */
  private static boolean covers(ObjectContent body, ByteRange range) {
    return body.part().map(part -> part.encloses(range)).orElse(true);
  }

  /** The bytes a full or partial plan sends: none for an empty object. */
  private static Optional<ByteRange> bytesToSend(ResponsePlan plan, long length) {
    if (plan instanceof ResponsePlan.Partial partial) {
      return Optional.of(partial.range());
    }
    return length > 0 ? Optional.of(new ByteRange(0, length - 1)) : Optional.empty();
  }

  private static Answer.ErrorResponse error(int status, Outcome outcome, String detail) {
    return new Answer.ErrorResponse(
        status,
        outcome,
        status == 503 ? List.of(new Header("Retry-After", RETRY_AFTER_SECONDS)) : List.of(),
        detail);
  }
}
