package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.store.ObjectContent;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The only code that writes object bytes and error responses to the client. */
final class ResponseWriter {

  /** How streaming a body ended. */
  enum Ending {
    /** Every byte was sent. */
    COMPLETE,
    /** Writing to the client failed: it went away. */
    CLIENT_GONE,
    /** Reading from S3 failed or ended early. */
    UPSTREAM_FAILED
  }

  /**
   * What streaming a body did.
   *
   * @param ending how it ended
   * @param bytesSent body bytes handed to the container
   * @param failure the exception that ended it early, or {@code null}
   */
  record Streamed(Ending ending, long bytesSent, IOException failure) {}

  private final int bufferSize;

  ResponseWriter(int bufferSize) {
    this.bufferSize = bufferSize;
  }

  /** Sets the status, the headers and the exact {@code Content-Length}. */
  void writeHeaders(
      HttpServletResponse response, int status, List<Header> headers, long contentLength) {
    response.setStatus(status);
    setAll(response, headers);
    response.setContentLengthLong(contentLength);
  }

  /** Answers 304 with the given headers and no body. */
  void writeNotModified(HttpServletResponse response, List<Header> headers) throws IOException {
    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
    setAll(response, headers);
    response.flushBuffer();
  }

  private static void setAll(HttpServletResponse response, List<Header> headers) {
    for (Header header : headers) {
      response.setHeader(header.name(), header.value());
    }
  }

  /**
   * Writes bytes of the filter's own (the delimiters of a multipart body).
   *
   * @return {@link Ending#COMPLETE}, or {@link Ending#CLIENT_GONE} if writing failed
   */
  Streamed writeBytes(HttpServletResponse response, byte[] bytes) {
    try {
      response.getOutputStream().write(bytes);
      return new Streamed(Ending.COMPLETE, bytes.length, null);
    } catch (IOException e) {
      return new Streamed(Ending.CLIENT_GONE, 0, e);
    }
  }

  /**
   * Copies exactly {@code length} bytes from the current position of S3's body to the client
   * through one fixed buffer.
   *
   * <p>Stops at the first failure and reports which side failed; it never closes or aborts the S3
   * stream, which is the caller's decision.
   */
  Streamed copyBody(ObjectContent content, HttpServletResponse response, long length) {
    byte[] buffer = new byte[(int) Math.min(bufferSize, Math.max(length, 1))];
    InputStream in = content.body();
    long sent = 0;
    OutputStream out;
    try {
      out = response.getOutputStream();
    } catch (IOException e) {
      return new Streamed(Ending.CLIENT_GONE, 0, e);
    }
    while (sent < length) {
      int read;
      try {
        read = in.read(buffer, 0, (int) Math.min(buffer.length, length - sent));
      } catch (IOException e) {
        return new Streamed(Ending.UPSTREAM_FAILED, sent, e);
      }
      if (read < 0) {
        return new Streamed(
            Ending.UPSTREAM_FAILED,
            sent,
            new IOException("S3 ended the body after " + sent + " of " + length + " bytes"));
      }
      try {
        out.write(buffer, 0, read);
      } catch (IOException e) {
        return new Streamed(Ending.CLIENT_GONE, sent, e);
      }
      sent += read;
    }
    try {
      out.flush();
    } catch (IOException e) {
      return new Streamed(Ending.CLIENT_GONE, sent, e);
    }
    return new Streamed(Ending.COMPLETE, sent, null);
  }

  /**
   * Answers with a generic error: the status, its reason phrase as a plain-text body, never cached,
   * and nothing from S3.
   */
  void writeError(HttpServletResponse response, int status, List<Header> extraHeaders)
      throws IOException {
    byte[] body = (reasonPhrase(status) + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=utf-8");
    setAll(response, extraHeaders);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static String reasonPhrase(int status) {
    return switch (status) {
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 412 -> "Precondition Failed";
      case 416 -> "Range Not Satisfiable";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
  }
}
