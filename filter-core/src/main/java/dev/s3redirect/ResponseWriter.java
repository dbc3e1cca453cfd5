package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the status and headers of every answer, and the bodies of error answers. */
final class ResponseWriter {

  private ResponseWriter() {}

  /** Sets the status, the headers and the exact {@code Content-Length}. */
  static void writeHeaders(
      HttpServletResponse response, int status, List<Header> headers, long contentLength) {
    response.setStatus(status);
    setAll(response, headers);
    response.setContentLengthLong(contentLength);
  }

  /** Answers 304 with the given headers and no body. */
  static void writeNotModified(HttpServletResponse response, List<Header> headers)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
    setAll(response, headers);
    response.flushBuffer();
  }

  /** Answers with a redirect to {@code location}: no body, never cached. */
  static void writeRedirect(HttpServletResponse response, int status, java.net.URI location)
      throws IOException {
    response.setStatus(status);
    response.setHeader("Location", location.toASCIIString());
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(0);
    response.flushBuffer();
  }

  private static void setAll(HttpServletResponse response, List<Header> headers) {
    for (Header header : headers) {
      response.setHeader(header.name(), header.value());
    }
  }

  /**
   * Answers with an error status, never cached, and has the container's error handling write the
   * body (the application's error page); nothing from S3.
   */
  static void sendError(HttpServletResponse response, int status, List<Header> extraHeaders)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    setAll(response, extraHeaders);
    response.sendError(status);
  }

  /**
   * Answers with a generic error: the status, its reason phrase as a plain-text body, never cached,
   * and nothing from S3.
   */
  static void writeError(HttpServletResponse response, int status, List<Header> extraHeaders)
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
