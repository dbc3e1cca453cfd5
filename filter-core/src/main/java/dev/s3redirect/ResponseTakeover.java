package dev.s3redirect;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Takes the container's response over from the application for the filter's own answer: drops what
 * the application buffered and the headers the answer owns, and keeps the rest (cookies, caching,
 * custom headers).
 */
final class ResponseTakeover {

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

  private ResponseTakeover() {}

  /**
   * Returns what the application has set so far, without taking the response over.
   *
   * @param response the container's response
   * @param redirectHeader the redirect header's name, never among the application's headers
   * @return its {@code Content-Type} and its headers
   */
  static AppHeaders applicationHeaders(HttpServletResponse response, String redirectHeader) {
    Map<String, List<String>> set = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : response.getHeaderNames()) {
      if (!name.equalsIgnoreCase(redirectHeader)) {
        set.put(name, List.copyOf(response.getHeaders(name)));
      }
    }
    return new AppHeaders(response.getContentType(), set);
  }

  /**
   * Takes the response over to send the object, keeping every header but those the filter owns.
   *
   * @return what the application had set
   * @throws IllegalStateException if the container already committed the application's response
   */
  static AppHeaders forObject(HttpServletResponse response, String redirectHeader) {
    return takeOver(response, redirectHeader, FILTER_OWNED);
  }

  /**
   * Takes the response over to send an error: as {@link #forObject}, but also drops the headers
   * that describe a body or let it be cached.
   *
   * @throws IllegalStateException if the container already committed the application's response
   */
  static void forError(HttpServletResponse response, String redirectHeader) {
    takeOver(response, redirectHeader, NOT_FOR_ERRORS);
  }

  private static AppHeaders takeOver(
      HttpServletResponse response, String redirectHeader, Set<String> dropped) {
    if (response.isCommitted()) {
      throw new IllegalStateException("response already committed");
    }
    String contentType = response.getContentType();
    Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : response.getHeaderNames()) {
      if (!dropped.contains(name.toLowerCase(Locale.ROOT))
          && !name.equalsIgnoreCase(redirectHeader)) {
        kept.put(name, List.copyOf(response.getHeaders(name)));
      }
    }
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
    var all = new HashSet<>(first);
    all.addAll(second);
    return Set.copyOf(all);
  }
}
