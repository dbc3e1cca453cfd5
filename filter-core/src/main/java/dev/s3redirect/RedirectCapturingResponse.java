package dev.s3redirect;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The response the application writes to. It keeps the redirect header to itself, however it is
 * set, and from the moment it is set discards the application's body, {@code Content-Length} and
 * flushes.
 *
 * <p>It holds none of the application's bytes: until the header appears, writes and flushes go
 * straight to the container, so a response without the header is untouched and unbuffered. Bytes
 * written before the header are dropped if they are still in the container's buffer when the filter
 * takes over (an application that writes before deciding enlarges that window the standard way,
 * with {@code setBufferSize}); if the container has already committed them, the header came too
 * late and the filter cuts the response short.
 */
final class RedirectCapturingResponse extends HttpServletResponseWrapper {

  /** Headers describing the representation: the filter sets them, the application's are dropped. */
  private static final Set<String> FILTER_OWNED =
      Set.of(
          "content-length",
          "content-range",
          "content-type",
          "content-encoding",
          "transfer-encoding",
          "etag",
          "last-modified",
          "accept-ranges");

  /** Headers an error response never carries: they describe a body, or would let it be cached. */
  private static final Set<String> NOT_FOR_ERRORS =
      union(
          FILTER_OWNED,
          Set.of(
              "content-disposition",
              "content-language",
              "expires",
              "cache-control",
              "pragma",
              "vary"));

  private final String headerName;
  private String redirectValue;
  private boolean ambiguous;
  private boolean discarding;
  private SwitchingOutputStream appStream;
  private PrintWriter appWriter;

  RedirectCapturingResponse(HttpServletResponse response, String headerName) {
    super(response);
    this.headerName = headerName;
  }

  /** Returns the redirect header's value, or {@code null} if the application set none. */
  String redirectValue() {
    return redirectValue;
  }

  /** Returns whether the header was added more than once with different values. */
  boolean isAmbiguous() {
    return ambiguous;
  }

  /**
   * Returns what the application has set so far, without taking the response over.
   *
   * @return its {@code Content-Type} and its headers other than the redirect header
   */
  AppHeaders applicationHeaders() {
    HttpServletResponse response = (HttpServletResponse) getResponse();
    Map<String, List<String>> set = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : response.getHeaderNames()) {
      if (!isRedirectHeader(name)) {
        set.put(name, List.copyOf(response.getHeaders(name)));
      }
    }
    return new AppHeaders(response.getContentType(), set);
  }

  /**
   * Takes the response over from the application to send the object: drops whatever it buffered and
   * the headers the filter owns, keeps the rest (cookies, caching, custom headers) and returns what
   * the application had set.
   *
   * @throws IllegalStateException if the container already committed the application's response
   */
  AppHeaders takeOverForObject() {
    return takeOver(FILTER_OWNED);
  }

  /**
   * Takes the response over from the application to send an error: as {@link #takeOverForObject()},
   * but also drops the headers that describe a body or let it be cached.
   *
   * @throws IllegalStateException if the container already committed the application's response
   */
  void takeOverForError() {
    takeOver(NOT_FOR_ERRORS);
  }

  private AppHeaders takeOver(Set<String> dropped) {
    HttpServletResponse response = (HttpServletResponse) getResponse();
    if (response.isCommitted()) {
      throw new IllegalStateException("response already committed");
    }
    String contentType = response.getContentType();
    Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : response.getHeaderNames()) {
      if (!dropped.contains(name.toLowerCase(Locale.ROOT)) && !isRedirectHeader(name)) {
        kept.put(name, List.copyOf(response.getHeaders(name)));
      }
    }
    discarding = true;
    response.reset();
    // Some containers re-add their own headers (a session cookie) on reset: add each value once.
    kept.forEach(
        (name, values) -> {
          Collection<String> present = response.getHeaders(name);
          values.stream()
              .filter(v -> !present.contains(v))
              .forEach(v -> response.addHeader(name, v));
        });
    return new AppHeaders(contentType, kept);
  }

  private static Set<String> union(Set<String> first, Set<String> second) {
    var all = new java.util.HashSet<>(first);
    all.addAll(second);
    return Set.copyOf(all);
  }

  private boolean isRedirectHeader(String name) {
    return name != null && name.equalsIgnoreCase(headerName);
  }

  private static boolean isContentLength(String name) {
    return "content-length".equalsIgnoreCase(name);
  }

  private void capture(String value, boolean adding) {
    if (value == null) {
      if (!adding) {
        redirectValue = null;
        ambiguous = false;
      }
      return;
    }
    if (adding && redirectValue != null && !redirectValue.equals(value)) {
      ambiguous = true;
    }
    redirectValue = value;
    discarding = true;
  }

  /**
   * Returns whether a header call must stop here: it set the redirect header (now captured), or a
   * {@code Content-Length} for a body that is being discarded.
   */
  private boolean intercepted(String name, String value, boolean adding) {
    if (isRedirectHeader(name)) {
      capture(value, adding);
      return true;
    }
    return discarding && isContentLength(name);
  }

  @Override
  public void setHeader(String name, String value) {
    if (!intercepted(name, value, false)) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (!intercepted(name, value, true)) {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    if (!intercepted(name, Integer.toString(value), false)) {
      super.setIntHeader(name, value);
    }
  }

  @Override
  public void addIntHeader(String name, int value) {
    if (!intercepted(name, Integer.toString(value), true)) {
      super.addIntHeader(name, value);
    }
  }

  @Override
  public void setDateHeader(String name, long date) {
    if (!intercepted(name, Long.toString(date), false)) {
      super.setDateHeader(name, date);
    }
  }

  @Override
  public void addDateHeader(String name, long date) {
    if (!intercepted(name, Long.toString(date), true)) {
      super.addDateHeader(name, date);
    }
  }

  @Override
  public boolean containsHeader(String name) {
    return isRedirectHeader(name) ? redirectValue != null : super.containsHeader(name);
  }

  @Override
  public String getHeader(String name) {
    return isRedirectHeader(name) ? redirectValue : super.getHeader(name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    if (isRedirectHeader(name)) {
      return redirectValue == null ? List.of() : List.of(redirectValue);
    }
    return super.getHeaders(name);
  }

  @Override
  public Collection<String> getHeaderNames() {
    if (redirectValue == null) {
      return super.getHeaderNames();
    }
    List<String> names = new ArrayList<>(super.getHeaderNames());
    names.add(headerName);
    return names;
  }

  @Override
  public void setContentLength(int length) {
    if (!discarding) {
      super.setContentLength(length);
    }
  }

  @Override
  public void setContentLengthLong(long length) {
    if (!discarding) {
      super.setContentLengthLong(length);
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    if (!discarding) {
      super.flushBuffer();
    }
  }

  @Override
  public void reset() {
    super.reset();
    redirectValue = null;
    ambiguous = false;
    discarding = false;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (appWriter != null) {
      throw new IllegalStateException("getWriter() has already been called");
    }
    if (appStream == null) {
      appStream = new SwitchingOutputStream();
    }
    return appStream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (appStream != null) {
      throw new IllegalStateException("getOutputStream() has already been called");
    }
    if (appWriter == null) {
      appWriter = new PrintWriter(new SwitchingWriter(), false);
    }
    return appWriter;
  }

  /**
   * What the application had set when the filter took over.
   *
   * @param contentType its {@code Content-Type}, or {@code null}
   * @param kept the headers kept on the response, by case-insensitive name
   */
  record AppHeaders(String contentType, Map<String, List<String>> kept) {

    boolean has(String name) {
      return kept.containsKey(name);
    }
  }

  /** The application's byte stream: the container's until the header appears, a sink after. */
  private final class SwitchingOutputStream extends ServletOutputStream {
    private ServletOutputStream target;

    private ServletOutputStream target() throws IOException {
      if (target == null) {
        target = RedirectCapturingResponse.super.getOutputStream();
      }
      return target;
    }

    @Override
    public void write(int b) throws IOException {
      if (!discarding) {
        target().write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (!discarding) {
        target().write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!discarding && target != null) {
        target.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (!discarding) {
        target().close();
      }
    }

    @Override
    public boolean isReady() {
      if (discarding) {
        return true;
      }
      try {
        return target().isReady();
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      try {
        target().setWriteListener(listener);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The application's character stream: the container's until the header appears, a sink after. */
  private final class SwitchingWriter extends Writer {
    private PrintWriter target;

    private PrintWriter target() throws IOException {
      if (target == null) {
        target = RedirectCapturingResponse.super.getWriter();
      }
      return target;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      if (!discarding) {
        target().write(chars, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!discarding && target != null) {
        target.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (!discarding) {
        target().close();
      }
    }
  }
}
