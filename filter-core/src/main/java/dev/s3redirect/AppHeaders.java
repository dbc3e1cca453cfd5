package dev.s3redirect;

import java.util.List;
import java.util.Map;

/**
 * What the application had set on its response when the filter took over.
 *
 * @param contentType its {@code Content-Type}, or {@code null}
 * @param kept the headers kept on the response, by case-insensitive name
 */
record AppHeaders(String contentType, Map<String, List<String>> kept) {

  /** Returns whether the application set the header. */
  boolean has(String name) {
    return kept.containsKey(name);
  }
}
