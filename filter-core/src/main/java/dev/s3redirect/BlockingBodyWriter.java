package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends an answer's body with blocking writes through one fixed buffer: the calling thread, and the
 * S3 connection being read, wait while the client reads. For containers or filter chains without
 * asynchronous support, and when configured.
 */
final class BlockingBodyWriter {

  private BlockingBodyWriter() {}

  /**
   * Sends the body and returns how the exchange ended.
   *
   * @param writer the exchange's answer writer, for failures
   * @param start the status and the body
   * @param bufferSize the configured buffer size
   */
  static ExchangeResult write(AnswerWriter writer, AnswerWriter.ObjectStart start, int bufferSize)
      throws IOException {
    BodyCursor body = start.body();
    byte[] buffer = start.buffer(bufferSize);
    long written = 0;
    try {
      OutputStream out = writer.client().getOutputStream();
      int n;
      while ((n = body.next(buffer)) >= 0) {
        out.write(buffer, 0, n);
        written += n;
      }
      out.flush();
    } catch (BodyFailure e) {
      return writer.failed(e, start.status(), written);
    } catch (IOException e) {
      // Never close(): on a partly read body it would download the rest.
      body.abort();
      return new ExchangeResult(
          Outcome.CLIENT_ABORTED,
          start.status(),
          written,
          "the client went away after " + written + " bytes");
    }
    return new ExchangeResult(Outcome.SERVED, start.status(), written, "");
  }
}
