package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import java.util.List;

/**
 * What the filter does with an application's finished response, decided before S3 is asked. Pure.
 *
 * <p>The header is honoured only on a 2xx answer. A malformed value is the application's error
 * (500); an object outside the allow-list is refused (403) without asking S3; a header that arrives
 * after the application's own bytes were committed can only cut the response short.
 */
sealed interface Admission {

  /** The application named no object: its response passes untouched. */
  record PassThrough() implements Admission {}

  /**
   * The application named an object but did not answer 2xx: its response goes out as it is, without
   * the header.
   *
   * @param status the application's status
   */
  record Ignored(int status) implements Admission {}

  /**
   * Serve the object.
   *
   * @param location the object
   */
  record Serve(S3Location location) implements Admission {}

  /**
   * Answer without asking S3.
   *
   * @param location the object, or {@code null} if the value was malformed
   * @param answer the answer
   */
  record Refuse(S3Location location, Answer answer) implements Admission {}

  /**
   * Decides what to do with a finished response.
   *
   * @param settings the filter's settings
   * @param headerValue the redirect header's value, or {@code null} if the application set none
   * @param ambiguous whether the header was added more than once with different values
   * @param status the application's status
   * @param committed whether the container already committed the application's response
   * @return the decision
   */
  static Admission decide(
      S3RedirectSettings settings,
      String headerValue,
      boolean ambiguous,
      int status,
      boolean committed) {
    if (headerValue == null) {
      return new PassThrough();
    }
    if (status < 200 || status > 299) {
      return new Ignored(status);
    }
    if (committed) {
      return new Refuse(
          null,
          new Answer.CutShort(
              Outcome.HEADER_TOO_LATE,
              "the application set "
                  + settings.headerName()
                  + " after its own response was committed; set the header before writing a"
                  + " body, or enlarge the buffer with setBufferSize"));
    }
    S3Location location;
    try {
      if (ambiguous) {
        throw new IllegalArgumentException(
            "the header was added more than once with different values");
      }
      location = S3Location.parse(headerValue);
    } catch (IllegalArgumentException e) {
      return new Refuse(
          null,
          new Answer.ErrorResponse(
              500,
              Outcome.INVALID_HEADER,
              List.of(),
              "the application set a malformed "
                  + settings.headerName()
                  + " header: "
                  + e.getMessage()));
    }
    if (!settings.allowList().permits(location)) {
      return new Refuse(
          location,
          new Answer.ErrorResponse(
              403, Outcome.REFUSED, List.of(), "refused: outside the allow-list"));
    }
    return new Serve(location);
  }
}
