package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.internal.http.MultipartByteRanges;
import dev.s3redirect.internal.http.ReprDigests;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries out an exchange's {@link Answer}: the only code that takes the response over from the
 * application. Answers without an object body are written at once; for an object answer it sets the
 * status and headers and hands back a {@link BodyCursor} over the body, which a blocking or a
 * non-blocking body writer then sends. A body that fails is judged by the planner: an error status
 * while the response is not committed, a response cut short once it is.
 */
final class AnswerWriter {

  private final RedirectCapturingResponse response;
  private final Optional<String> defaultCacheControl;
  private final long resumeWindow;
  private final boolean applicationErrorPages;
  private final ReprDigests.Want wantRepr;
  private final ReprDigests.Want wantContent;

  /**
   * Creates the writer of one exchange.
   *
   * @param response the application's response, to take over
   * @param defaultCacheControl the configured default {@code Cache-Control}
   * @param resumeWindow the bytes asked for first when a body resumes after a stall
   * @param applicationErrorPages whether the container's error handling writes error bodies
   * @param wantRepr the client's {@code Want-Repr-Digest}
   * @param wantContent the client's {@code Want-Content-Digest}
   */
  AnswerWriter(
      RedirectCapturingResponse response,
      Optional<String> defaultCacheControl,
      long resumeWindow,
      boolean applicationErrorPages,
      ReprDigests.Want wantRepr,
      ReprDigests.Want wantContent) {
    this.response = response;
    this.defaultCacheControl = defaultCacheControl;
    this.resumeWindow = resumeWindow;
    this.applicationErrorPages = applicationErrorPages;
    this.wantRepr = wantRepr;
    this.wantContent = wantContent;
  }

  /**
   * Returns whether a request may be answered with a partial answer whose {@code Repr-Digest} needs
   * the object's checksums: a GET with a {@code Range}, from a client that did not refuse every
   * digest.
   *
   * @param method the request's method
   * @param hasRange whether the request has a {@code Range} field
   * @return whether to learn the checksums before the range is asked for
   */
  boolean mayNeedChecksumsOfRanges(String method, boolean hasRange) {
    return hasRange && method.equals("GET") && wantRepr.acceptsAny();
  }

  /**
   * Returns whether a partial answer needs the object's checksums from elsewhere for its {@code
   * Repr-Digest}: S3's ranged answer carried none (it never carries the whole object's), and the
   * client did not refuse every digest.
   *
   * @param answer the answer decided
   * @return whether to look them up
   */
  boolean needsChecksumsFor(Answer answer) {
    if (!wantRepr.acceptsAny()) {
      return false;
    }
    if (answer instanceof Answer.ObjectBody body) {
      return body.status() == 206 && body.body().metadata().checksums().isEmpty();
    }
    return answer instanceof Answer.ObjectParts parts
        && parts.first().metadata().checksums().isEmpty();
  }

  /**
   * An object answer whose status and headers are set: the body is to be sent.
   *
   * @param status 200 or 206
   * @param length the body's length, as its {@code Content-Length} announces
   * @param body the body
   */
  record ObjectStart(int status, long length, BodyCursor body) {

    /** A buffer for the body: the configured size, smaller for a smaller body. */
    byte[] buffer(int bufferSize) {
      return new byte[(int) Math.min(bufferSize, Math.max(length, 1))];
    }
  }

  /**
   * Takes the response over for an object answer and sets its status, headers and exact {@code
   * Content-Length}.
   *
   * @param answer an {@link Answer.ObjectBody} or {@link Answer.ObjectParts}
   * @param parts opens the later parts, and reopens a range after a stall
   * @param resumable whether a range can be reopened pinned to the answer's version
   * @param checksums the object's checksums as the filter knows them, for the digest of a partial
   *     answer; only used when its entity-tag is the answer's
   * @return the status and the body to send
   */
  ObjectStart startObject(
      Answer answer, PartBody.Source parts, boolean resumable, Optional<ObjectMetadata> checksums) {
    AppHeaders app = response.takeOverForObject();
    if (answer instanceof Answer.ObjectBody body) {
      ObjectMetadata object = body.body().metadata();
      List<Header> headers =
          new ArrayList<>(RepresentationHeaders.forObject(app, object, defaultCacheControl));
      headers.addAll(
          RepresentationHeaders.digests(
              sameVersion(object, checksums), wantRepr, wantContent, body.status() == 200));
      if (body.status() == 206) {
        headers.add(
            new Header(
                "Content-Range", body.range().orElseThrow().contentRange(object.contentLength())));
      }
      ResponseWriter.writeHeaders(client(), body.status(), headers, body.slice().length());
      return new ObjectStart(
          body.status(),
          body.slice().length(),
          BodyCursor.of(body, parts, resumable, resumeWindow));
    }
    var multipart = (Answer.ObjectParts) answer;
    ObjectContent first = multipart.first();
    ObjectMetadata object = first.metadata();
    var layout =
        MultipartByteRanges.withRandomBoundary(
            RepresentationHeaders.contentType(app, object),
            object.contentLength(),
            multipart.ranges());
    List<Header> headers = new ArrayList<>();
    for (Header header : RepresentationHeaders.forObject(app, object, defaultCacheControl)) {
      headers.add(
          header.name().equals("Content-Type")
              ? new Header("Content-Type", layout.responseContentType())
              : header);
    }
    headers.addAll(
        RepresentationHeaders.digests(
            sameVersion(object, checksums), wantRepr, wantContent, false));
    ResponseWriter.writeHeaders(client(), 206, headers, layout.contentLength());
    List<byte[]> partHeaders = new ArrayList<>();
    for (int i = 0; i < multipart.ranges().size(); i++) {
      partHeaders.add(layout.partHeader(i));
    }
    return new ObjectStart(
        206,
        layout.contentLength(),
        BodyCursor.of(multipart, partHeaders, layout.closeDelimiter(), parts, resumeWindow));
  }

  /** Writes an answer without an object body (HEAD, 304, an error) and returns how it ended. */
  ExchangeResult writeWithoutBody(Answer answer) throws IOException {
    if (answer instanceof Answer.ObjectHeaders head) {
      AppHeaders app = response.takeOverForObject();
      List<Header> headers =
          new ArrayList<>(RepresentationHeaders.forObject(app, head.object(), defaultCacheControl));
      headers.addAll(RepresentationHeaders.digests(head.object(), wantRepr, wantContent, false));
      ResponseWriter.writeHeaders(client(), 200, headers, head.object().contentLength());
      return new ExchangeResult(Outcome.SERVED, 200, 0, "");
    }
    if (answer instanceof Answer.NotModified notModified) {
      AppHeaders app = response.takeOverForObject();
      ResponseWriter.writeNotModified(
          client(), RepresentationHeaders.forNotModified(app, notModified, defaultCacheControl));
      return new ExchangeResult(Outcome.NOT_MODIFIED, 304, 0, "");
    }
    if (answer instanceof Answer.Redirect redirect) {
      // As for an error, the application's caching and representation headers go: the answer is
      // the redirect, and a signed URL that expires must not be cached.
      response.takeOverForError();
      ResponseWriter.writeRedirect(client(), redirect.status(), redirect.location());
      return new ExchangeResult(Outcome.REDIRECTED, redirect.status(), 0, "");
    }
    if (answer instanceof Answer.ErrorResponse error) {
      response.takeOverForError();
      if (applicationErrorPages) {
        ResponseWriter.sendError(client(), error.status(), error.headers());
      } else {
        ResponseWriter.writeError(client(), error.status(), error.headers());
      }
      return new ExchangeResult(error.outcome(), error.status(), 0, error.detail());
    }
    return cutShort((Answer.CutShort) answer, 0);
  }

  /**
   * Ends an exchange whose body failed, as the planner judges it: an error status while nothing is
   * committed, a response cut short once it is.
   *
   * @param failure what failed
   * @param status the status of the object answer
   * @param sent body bytes already handed to the container
   */
  ExchangeResult failed(BodyFailure failure, int status, long sent) throws IOException {
    Answer answer =
        ExchangePlanner.afterBodyFailure(
            failure.getMessage(), failure.getCause(), client().isCommitted());
    return answer instanceof Answer.CutShort cut ? cutShort(cut, sent) : writeWithoutBody(answer);
  }

  /** Records how a committed response ends early; the exchange then ends the connection. */
  private ExchangeResult cutShort(Answer.CutShort answer, long sent) {
    return new ExchangeResult(answer.outcome(), client().getStatus(), sent, answer.detail());
  }

  /**
   * Returns the metadata whose checksums describe the answer's object: the answer's own, or a
   * HEAD's of the same entity-tag.
   */
  private static ObjectMetadata sameVersion(
      ObjectMetadata answered, Optional<ObjectMetadata> head) {
    if (!answered.checksums().isEmpty() || head.isEmpty()) {
      return answered;
    }
    ObjectMetadata other = head.get();
    return answered.eTag() != null && answered.eTag().equals(other.eTag()) ? other : answered;
  }

  /** The container's response, which the answer is written to. */
  HttpServletResponse client() {
    return (HttpServletResponse) response.getResponse();
  }
}
