package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.store.ObjectContent;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries out an exchange's {@link Answer}: the only code that takes the response over from the
 * application. Bytes go out through {@link ResponseWriter}; the parts of a multipart answer through
 * {@link MultipartWriter}. An S3 body that fails is judged by the planner: an error status while
 * the response is not committed, a response cut short once it is.
 */
final class AnswerWriter {

  private final RedirectCapturingResponse response;
  private final ResponseWriter bytes;
  private final Optional<String> defaultCacheControl;
  private final Runnable bodyStarted;

  /**
   * Creates the writer of one exchange.
   *
   * @param response the application's response, to take over
   * @param bytes writes bytes to the client
   * @param defaultCacheControl the configured default {@code Cache-Control}
   * @param bodyStarted told when the object's bytes start
   */
  AnswerWriter(
      RedirectCapturingResponse response,
      ResponseWriter bytes,
      Optional<String> defaultCacheControl,
      Runnable bodyStarted) {
    this.response = response;
    this.bytes = bytes;
    this.defaultCacheControl = defaultCacheControl;
    this.bodyStarted = bodyStarted;
  }

  /**
   * Writes the answer and returns how the exchange ended.
   *
   * @param answer the answer
   * @param parts the later parts of a multipart answer
   */
  ExchangeResult write(Answer answer, PartBody.Source parts) throws IOException {
    if (answer instanceof Answer.ObjectBody body) {
      return writeObject(body);
    }
    if (answer instanceof Answer.ObjectParts multipart) {
      return new MultipartWriter(this, parts).write(multipart);
    }
    if (answer instanceof Answer.ObjectHeaders head) {
      AppHeaders app = response.takeOverForObject();
      bytes.writeHeaders(
          client(),
          200,
          RepresentationHeaders.forObject(app, head.object(), defaultCacheControl),
          head.object().contentLength());
      return new ExchangeResult(Outcome.SERVED, 200, 0, "");
    }
    if (answer instanceof Answer.NotModified notModified) {
      AppHeaders app = response.takeOverForObject();
      bytes.writeNotModified(
          client(), RepresentationHeaders.forNotModified(app, notModified, defaultCacheControl));
      return new ExchangeResult(Outcome.NOT_MODIFIED, 304, 0, "");
    }
    if (answer instanceof Answer.ErrorResponse error) {
      return writeError(error);
    }
    return cutShort((Answer.CutShort) answer, 0);
  }

  private ExchangeResult writeError(Answer.ErrorResponse error) throws IOException {
    response.takeOverForError();
    bytes.writeError(client(), error.status(), error.headers());
    return new ExchangeResult(error.outcome(), error.status(), 0, error.detail());
  }

  /** Streams the whole object (200) or one range of it (206) from a body that holds it. */
  private ExchangeResult writeObject(Answer.ObjectBody answer) throws IOException {
    ObjectContent body = answer.body();
    Answer.Slice slice = answer.slice();
    Optional<ExchangeResult> failed = skip(body, slice.skip(), 0);
    if (failed.isPresent()) {
      return failed.get();
    }
    AppHeaders app = response.takeOverForObject();
    List<Header> headers =
        new ArrayList<>(RepresentationHeaders.forObject(app, body.metadata(), defaultCacheControl));
    if (answer.status() == 206) {
      headers.add(
          new Header(
              "Content-Range",
              answer.range().orElseThrow().contentRange(body.metadata().contentLength())));
    }
    bytes.writeHeaders(client(), answer.status(), headers, slice.length());
    bodyStarted.run();
    ResponseWriter.Streamed streamed = bytes.copyBody(body, client(), slice.length());
    return afterCopy(body, answer.status(), streamed, streamed.bytesSent(), slice.readsToTheEnd())
        .orElse(new ExchangeResult(Outcome.SERVED, answer.status(), streamed.bytesSent(), ""));
  }

  /** Tells of the start of an object body: after its headers are set, before its bytes. */
  void bodyStarted() {
    bodyStarted.run();
  }

  /** Takes the response over for an object and returns what the application had set. */
  AppHeaders takeOverForObject() {
    return response.takeOverForObject();
  }

  /** The default {@code Cache-Control}, for the headers of a multipart answer. */
  Optional<String> defaultCacheControl() {
    return defaultCacheControl;
  }

  ResponseWriter bytes() {
    return bytes;
  }

  HttpServletResponse client() {
    return (HttpServletResponse) response.getResponse();
  }

  /**
   * Reads past {@code skip} bytes of a body a backend sent beside the range.
   *
   * @return empty if they were skipped; else how the exchange ended (the body is aborted)
   */
  Optional<ExchangeResult> skip(ObjectContent body, long skip, long sent) throws IOException {
    if (skip == 0) {
      return Optional.empty();
    }
    try {
      body.body().skipNBytes(skip);
      return Optional.empty();
    } catch (IOException e) {
      body.abort();
      return Optional.of(failed("S3 failed while skipping to a range: " + e, e, sent));
    }
  }

  /**
   * Releases a body after a copy. It is closed for reuse only when every byte of it was read, and
   * aborted otherwise: never drained.
   *
   * @return empty if the copy completed; else how the exchange ended
   */
  Optional<ExchangeResult> afterCopy(
      ObjectContent body, int status, ResponseWriter.Streamed streamed, long sent, boolean toTheEnd)
      throws IOException {
    switch (streamed.ending()) {
      case COMPLETE -> {
        if (toTheEnd) {
          body.close();
        } else {
          body.abort();
        }
        return Optional.empty();
      }
      case CLIENT_GONE -> {
        body.abort();
        return Optional.of(
            new ExchangeResult(
                Outcome.CLIENT_ABORTED,
                status,
                sent,
                "the client went away after " + sent + " bytes"));
      }
      default -> {
        body.abort();
        return Optional.of(
            failed(
                "S3 failed after " + sent + " bytes: " + streamed.failure(),
                streamed.failure(),
                sent));
      }
    }
  }

  /** Ends an exchange whose S3 body failed, as the planner judges it. */
  private ExchangeResult failed(String why, Exception cause, long sent) throws IOException {
    Answer answer = ExchangePlanner.afterBodyFailure(why, cause, client().isCommitted());
    return answer instanceof Answer.CutShort cut
        ? cutShort(cut, sent)
        : writeError((Answer.ErrorResponse) answer);
  }

  /** Records how a committed response ends early; the exchange then cuts the connection. */
  ExchangeResult cutShort(Answer.CutShort answer, long sent) {
    return new ExchangeResult(answer.outcome(), client().getStatus(), sent, answer.detail());
  }
}
