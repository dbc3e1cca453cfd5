package dev.s3redirect;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The companion headers (rate limit, delivery) are kept to itself too, whether or not the
 * redirect header is set: they are instructions to the filter, never meant for the client.
 */
final class RedirectCapturingResponse extends HttpServletResponseWrapper {

  private final String headerName;
  private final List<String> companionNames;
  private final Map<String, String> companionValues = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private String redirectValue;
  private boolean ambiguous;
  private boolean discarding;
  private ServletOutputStream appStream;
  private PrintWriter appWriter;

  /**
   * Wraps the application's response.
   *
   * @param response the container's response
   * @param headerName the redirect header's name
   * @param companionNames the names of the headers that instruct the filter beside it (rate limit,
   *     delivery), kept from the client too
   */
  RedirectCapturingResponse(
      HttpServletResponse response, String headerName, List<String> companionNames) {
    super(response);
    this.headerName = headerName;
    this.companionNames = List.copyOf(companionNames);
  }

  /** Returns a companion header's last value, or {@code null} if the application set none. */
  String companionValue(String name) {
    return companionValues.get(name);
  }

  /** Returns the redirect header's value, or {@code null} if the application set none. */
  String redirectValue() {
    return redirectValue;
  }

  /** Returns whether the header was added more than once with different values. */
  boolean isAmbiguous() {
    return ambiguous;
  }

  /** Returns what the application has set so far, without taking the response over. */
  AppHeaders applicationHeaders() {
    return ResponseTakeover.applicationHeaders((HttpServletResponse) getResponse(), headerName);
  }

  /**
   * Takes the response over from the application to send the object.
   *
   * @see ResponseTakeover#forObject
   */
  AppHeaders takeOverForObject() {
    discarding = true;
    return ResponseTakeover.forObject((HttpServletResponse) getResponse(), headerName);
  }

  /**
   * Takes the response over from the application to send an error.
   *
   * @see ResponseTakeover#forError
   */
  void takeOverForError() {
    discarding = true;
    ResponseTakeover.forError((HttpServletResponse) getResponse(), headerName);
  }

  private boolean isRedirectHeader(String name) {
    return name != null && name.equalsIgnoreCase(headerName);
  }

  private boolean isCompanion(String name) {
    if (name == null) {
      return false;
    }
    for (String companion : companionNames) {
      if (companion.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
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
    if (isCompanion(name)) {
      if (value != null) {
        companionValues.put(name, value);
      } else if (!adding) {
        companionValues.remove(name);
      }
      return true;
    }
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
    return isOwn(name) ? ownValue(name) != null : super.containsHeader(name);
  }

  @Override
  public String getHeader(String name) {
    return isOwn(name) ? ownValue(name) : super.getHeader(name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    if (isOwn(name)) {
      String value = ownValue(name);
      return value == null ? List.of() : List.of(value);
    }
    return super.getHeaders(name);
  }

  @Override
  public Collection<String> getHeaderNames() {
    if (redirectValue == null && companionValues.isEmpty()) {
      return super.getHeaderNames();
    }
    List<String> names = new ArrayList<>(super.getHeaderNames());
    if (redirectValue != null) {
      names.add(headerName);
    }
    names.addAll(companionValues.keySet());
    return names;
  }

  /** Whether the header is one the filter keeps to itself. */
  private boolean isOwn(String name) {
    return isRedirectHeader(name) || isCompanion(name);
  }

  private String ownValue(String name) {
    return isRedirectHeader(name) ? redirectValue : companionValues.get(name);
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
    companionValues.clear();
    ambiguous = false;
    discarding = false;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (appWriter != null) {
      throw new IllegalStateException("getWriter() has already been called");
    }
    if (appStream == null) {
      appStream = new SwitchingOutput.Bytes(super::getOutputStream, () -> discarding);
    }
    return appStream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (appStream != null) {
      throw new IllegalStateException("getOutputStream() has already been called");
    }
    if (appWriter == null) {
      appWriter =
          new PrintWriter(new SwitchingOutput.Chars(super::getWriter, () -> discarding), false);
    }
    return appWriter;
  }
}
