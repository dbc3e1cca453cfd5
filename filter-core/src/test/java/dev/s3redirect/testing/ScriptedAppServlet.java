package dev.s3redirect.testing;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The application in front of which the filter sits. Query parameters script what it does, in this
 * order: {@code buffer} (setBufferSize), {@code status}, {@code contentType}, {@code disposition},
 * {@code cacheControl}, {@code custom}, {@code vary}, {@code expires}, {@code cookie}, {@code
 * contentLength}, {@code before} (bytes written before the header), the header itself ({@code
 * redirect}, set with {@code how} = set|add|addTwice under {@code name}), {@code after} (bytes
 * written after it), {@code flush}, with {@code writer=true} for character output; {@code
 * limitRate} sets {@code X-S3-Redirect-Limit-Rate} and {@code delivery} {@code
 * X-S3-Redirect-Delivery} beside the header. {@code async} = complete|dispatch moves the work to
 * another thread.
 *
 * <p>{@code /app/passthrough} writes {@code chunks} chunks of {@code chunkSize} bytes, flushing
 * each one, and waits after the first until {@link #releaseStreaming()}.
 */
public final class ScriptedAppServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The byte the application fills its own bodies with; never part of a test object. */
  public static final byte APP_BYTE = '@';

  private transient volatile CountDownLatch streamingGate = new CountDownLatch(1);

  public void releaseStreaming() {
    streamingGate.countDown();
  }

  public void resetStreamingGate() {
    streamingGate = new CountDownLatch(1);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if ("/passthrough".equals(request.getPathInfo())) {
      passThrough(request, response);
      return;
    }
    if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
      script(request, response);
      return;
    }
    String async = request.getParameter("async");
    if ("complete".equals(async)) {
      AsyncContext context = request.startAsync();
      context.start(
          () -> {
            try {
              script(request, (HttpServletResponse) context.getResponse());
            } catch (IOException e) {
              throw new IllegalStateException(e);
            } finally {
              context.complete();
            }
          });
    } else if ("dispatch".equals(async)) {
      AsyncContext context = request.startAsync(request, response);
      context.start(context::dispatch);
    } else {
      script(request, response);
    }
  }

  private void script(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Integer buffer = intParam(request, "buffer");
    if (buffer != null) {
      response.setBufferSize(buffer);
    }
    Integer status = intParam(request, "status");
    if (status != null) {
      response.setStatus(status);
    }
    setIfPresent(request, response, "contentType", "Content-Type");
    setIfPresent(request, response, "disposition", "Content-Disposition");
    setIfPresent(request, response, "cacheControl", "Cache-Control");
    setIfPresent(request, response, "custom", "X-Custom");
    setIfPresent(request, response, "vary", "Vary");
    setIfPresent(request, response, "expires", "Expires");
    String cookie = request.getParameter("cookie");
    if (cookie != null) {
      response.addCookie(new Cookie("app", cookie));
    }
    Integer contentLength = intParam(request, "contentLength");
    if (contentLength != null) {
      response.setContentLength(contentLength);
    }
    boolean writer = Boolean.parseBoolean(request.getParameter("writer"));
    writeAppBody(response, intParam(request, "before"), writer);
    String redirect = request.getParameter("redirect");
    if (redirect != null) {
      String name =
          request.getParameter("name") == null ? "X-S3-Redirect" : request.getParameter("name");
      switch (String.valueOf(request.getParameter("how"))) {
        case "add" -> response.addHeader(name, redirect);
        case "addTwice" -> {
          response.addHeader(name, redirect);
          response.addHeader(name, redirect + "-other");
        }
        case "intHeader" -> response.setIntHeader(name, 42);
        case "dateHeader" -> response.addDateHeader(name, 0L);
        default -> response.setHeader(name, redirect);
      }
      String limitRate = request.getParameter("limitRate");
      if (limitRate != null) {
        response.setHeader("X-S3-Redirect-Limit-Rate", limitRate);
      }
      String delivery = request.getParameter("delivery");
      if (delivery != null) {
        response.setHeader("X-S3-Redirect-Delivery", delivery);
      }
      // What other code in the application sees of the header it set.
      response.setHeader("X-Seen", String.valueOf(response.getHeader(name)));
      if (contentLength != null) {
        response.setContentLength(contentLength);
      }
    }
    writeAppBody(response, intParam(request, "after"), writer);
    if (Boolean.parseBoolean(request.getParameter("flush"))) {
      if (writer) {
        response.getWriter().flush();
      } else {
        response.getOutputStream().flush();
      }
      response.flushBuffer();
    }
  }

  private static void writeAppBody(HttpServletResponse response, Integer bytes, boolean writer)
      throws IOException {
    if (bytes == null || bytes == 0) {
      return;
    }
    byte[] chunk = new byte[Math.min(bytes, 64 * 1024)];
    Arrays.fill(chunk, APP_BYTE);
    if (writer) {
      PrintWriter out = response.getWriter();
      String text = new String(chunk, StandardCharsets.US_ASCII);
      for (int left = bytes; left > 0; left -= chunk.length) {
        out.write(text, 0, Math.min(left, chunk.length));
      }
    } else {
      OutputStream out = response.getOutputStream();
      for (int left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, Math.min(left, chunk.length));
      }
    }
  }

  private void passThrough(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    int chunks = intParam(request, "chunks");
    int chunkSize = intParam(request, "chunkSize");
    response.setContentType("application/x-app");
    response.setHeader("X-Custom", "kept");
    ServletOutputStream out = response.getOutputStream();
    for (int i = 0; i < chunks; i++) {
      byte[] chunk = new byte[chunkSize];
      Arrays.fill(chunk, (byte) ('a' + i % 26));
      out.write(chunk);
      out.flush();
      if (i == 0) {
        try {
          if (!streamingGate.await(20, TimeUnit.SECONDS)) {
            throw new IOException("the client never saw the first chunk");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    }
  }

  private static void setIfPresent(
      HttpServletRequest request, HttpServletResponse response, String parameter, String header) {
    String value = request.getParameter(parameter);
    if (value != null) {
      response.setHeader(header, value);
    }
  }

  private static Integer intParam(HttpServletRequest request, String name) {
    String value = request.getParameter(name);
    return value == null ? null : Integer.valueOf(value);
  }
}
