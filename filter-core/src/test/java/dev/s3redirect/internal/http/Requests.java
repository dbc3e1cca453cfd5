package dev.s3redirect.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link ConditionalRequest}s from header tables, the way the filter reads a request. */
public final class Requests {

  /**
   * One header line of a request.
   *
   * @param name the header name
   * @param value the value, or {@code null} to leave the header out
   */
  public record Header(String name, String value) {}

  private Requests() {}

  /**
   * Returns one header line; a {@code null} value (an empty cell of a {@code @CsvSource} table)
   * leaves the header out, so that tables can have a column per header.
   *
   * @param name the header name
   * @param value the value, or {@code null}
   * @return the header line
   */
  public static Header header(String name, String value) {
    return new Header(name, value);
  }

  /**
   * Parses a request with these header lines; a name given twice is a header sent twice.
   *
   * @param method the request method, as sent
   * @param headers the header lines, in order
   * @return the parsed request
   */
  public static ConditionalRequest request(String method, Header... headers) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Header header : headers) {
      if (header.value() != null) {
        byName.computeIfAbsent(header.name(), name -> new ArrayList<>()).add(header.value());
      }
    }
    return ConditionalRequest.parse(method, name -> byName.getOrDefault(name, List.of()));
  }
}
