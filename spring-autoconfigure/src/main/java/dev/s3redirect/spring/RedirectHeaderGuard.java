package dev.s3redirect.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Keeps a redirect header that no s3-redirect filter consumed from reaching the client: the client
 * gets a generic 500 instead, and the log one ERROR that names the cause and the fix.
 *
 * <p>It sits outside every s3-redirect filter, so it sees only what they let through: a header set
 * while the filter is disabled, listens for another name, or does not apply to the request. Until
 * such a header appears, the response passes through untouched and unbuffered; from then on, what
 * the application does to it is ignored.
 */
final class RedirectHeaderGuard implements Filter {

  private static final Logger LOG = System.getLogger(RedirectHeaderGuard.class.getName());

  private static final byte[] BODY = "Internal Server Error\n".getBytes(StandardCharsets.UTF_8);

  /** What the guard needs to know of the application, computed once, on first use. */
  interface Diagnosis {

    /** Returns the header names to intercept: never those an outer filter may still consume. */
    Collection<String> guardedNames();

    /**
     * Returns why {@code headerName} reached the guard and what to do about it, as "but …; …".
     *
     * @param headerName the header as the application named it
     * @param request the request, for its dispatcher type
     */
    String explain(String headerName, HttpServletRequest request);
  }

  private final Supplier<Diagnosis> diagnosis;
  private volatile Diagnosis known;

  RedirectHeaderGuard(Supplier<Diagnosis> diagnosis) {
    this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis");
  }

  private Diagnosis diagnosis() {
    Diagnosis current = known;
    if (current == null) {
      current = Objects.requireNonNull(diagnosis.get(), "diagnosis");
      known = current;
    }
    return current;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http
        && response instanceof HttpServletResponse answer) {
      Diagnosis current = diagnosis();
      if (!current.guardedNames().isEmpty()) {
        chain.doFilter(request, new GuardedResponse(http, answer, current));
        return;
      }
    }
    chain.doFilter(request, response);
  }

  /**
   * Passes everything through until a guarded header is set; answers 500 then, ignores the rest.
   */
  static final class GuardedResponse extends HttpServletResponseWrapper {
    private final HttpServletRequest request;
    private final Diagnosis diagnosis;
    private final List<String> guarded;
    private volatile boolean intercepted;
    private ServletOutputStream outputStream;
    private PrintWriter writer;

    GuardedResponse(HttpServletRequest request, HttpServletResponse response, Diagnosis diagnosis) {
      super(response);
      this.request = request;
      this.diagnosis = diagnosis;
      this.guarded = List.copyOf(diagnosis.guardedNames());
    }

    private HttpServletResponse delegate() {
      return (HttpServletResponse) getResponse();
    }

    /** Returns whether a guarded header was set on this response. */
    boolean intercepted() {
      return intercepted;
    }

    /** Returns whether the header is one to intercept, and intercepts it. */
    private boolean intercepts(String name, Object value) {
      if (name == null || value == null) {
        return false;
      }
      for (String candidate : guarded) {
        if (candidate.equalsIgnoreCase(name)) {
          intercept(name);
          return true;
        }
      }
      return false;
    }

    private void intercept(String name) {
      if (intercepted) {
        return;
      }
      intercepted = true;
      HttpServletResponse response = delegate();
      String what = name + " set by " + request.getMethod() + " " + request.getRequestURI() + " ";
      String why = diagnosis.explain(name, request);
      if (response.isCommitted()) {
        LOG.log(
            Level.ERROR,
            what
                + why
                + " The response was already committed: the header was not sent, and the client"
                + " got the application's own response.");
        return;
      }
      LOG.log(Level.ERROR, what + why + " The client got 500.");
      try {
        response.reset();
        response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(BODY.length);
        try {
          response.getOutputStream().write(BODY);
        } catch (IllegalStateException writerInUse) {
          response.getWriter().write(new String(BODY, StandardCharsets.UTF_8));
        }
        response.flushBuffer();
      } catch (IOException clientGone) {
        LOG.log(Level.DEBUG, "the client went away before the 500 was sent", clientGone);
      }
    }

    @Override
    public void setHeader(String name, String value) {
      if (!intercepted && !intercepts(name, value)) {
        super.setHeader(name, value);
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if (!intercepted && !intercepts(name, value)) {
        super.addHeader(name, value);
      }
    }

    @Override
    public void setDateHeader(String name, long date) {
      if (!intercepted && !intercepts(name, date)) {
        super.setDateHeader(name, date);
      }
    }

    @Override
    public void addDateHeader(String name, long date) {
      if (!intercepted && !intercepts(name, date)) {
        super.addDateHeader(name, date);
      }
    }

    @Override
    public void setIntHeader(String name, int value) {
      if (!intercepted && !intercepts(name, value)) {
        super.setIntHeader(name, value);
      }
    }

    @Override
    public void addIntHeader(String name, int value) {
      if (!intercepted && !intercepts(name, value)) {
        super.addIntHeader(name, value);
      }
    }

    @Override
    public void addCookie(Cookie cookie) {
      if (!intercepted) {
        super.addCookie(cookie);
      }
    }

    @Override
    public void setStatus(int status) {
      if (!intercepted) {
        super.setStatus(status);
      }
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      if (!intercepted) {
        super.sendError(status, message);
      }
    }

    @Override
    public void sendError(int status) throws IOException {
      if (!intercepted) {
        super.sendError(status);
      }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
      if (!intercepted) {
        super.sendRedirect(location);
      }
    }

    @Override
    public void setContentType(String type) {
      if (!intercepted) {
        super.setContentType(type);
      }
    }

    @Override
    public void setCharacterEncoding(String charset) {
      if (!intercepted) {
        super.setCharacterEncoding(charset);
      }
    }

    @Override
    public void setLocale(Locale locale) {
      if (!intercepted) {
        super.setLocale(locale);
      }
    }

    @Override
    public void setContentLength(int length) {
      if (!intercepted) {
        super.setContentLength(length);
      }
    }

    @Override
    public void setContentLengthLong(long length) {
      if (!intercepted) {
        super.setContentLengthLong(length);
      }
    }

    @Override
    public void setBufferSize(int size) {
      if (!intercepted) {
        super.setBufferSize(size);
      }
    }

    @Override
    public void flushBuffer() throws IOException {
      if (!intercepted) {
        super.flushBuffer();
      }
    }

    @Override
    public void reset() {
      if (!intercepted) {
        super.reset();
      }
    }

    @Override
    public void resetBuffer() {
      if (!intercepted) {
        super.resetBuffer();
      }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (outputStream == null) {
        outputStream = new GuardedOutputStream(super.getOutputStream());
      }
      return outputStream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (writer == null) {
        writer = new PrintWriter(new GuardedWriter(super.getWriter()), false);
      }
      return writer;
    }

    /** The application's bytes, straight through until the header is intercepted; none after. */
    private final class GuardedOutputStream extends ServletOutputStream {
      private final ServletOutputStream out;

      GuardedOutputStream(ServletOutputStream out) {
        this.out = out;
      }

      @Override
      public void write(int b) throws IOException {
        if (!intercepted) {
          out.write(b);
        }
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (!intercepted) {
          out.write(bytes, offset, length);
        }
      }

      @Override
      public void flush() throws IOException {
        if (!intercepted) {
          out.flush();
        }
      }

      @Override
      public void close() throws IOException {
        if (!intercepted) {
          out.close();
        }
      }

      @Override
      public boolean isReady() {
        return intercepted || out.isReady();
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        out.setWriteListener(listener);
      }
    }

    /** The application's characters, straight through until the header is intercepted. */
    private final class GuardedWriter extends Writer {
      private final PrintWriter out;

      GuardedWriter(PrintWriter out) {
        this.out = out;
      }

      @Override
      public void write(char[] chars, int offset, int length) {
        if (!intercepted) {
          out.write(chars, offset, length);
        }
      }

      @Override
      public void write(String text, int offset, int length) {
        if (!intercepted) {
          out.write(text, offset, length);
        }
      }

      @Override
      public void flush() {
        if (!intercepted) {
          out.flush();
        }
      }

      @Override
      public void close() {
        if (!intercepted) {
          out.close();
        }
      }
    }
  }
}
