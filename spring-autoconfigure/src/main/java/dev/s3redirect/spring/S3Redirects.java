package dev.s3redirect.spring;

import dev.s3redirect.ContentDisposition;
import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectSettings;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * Answers from Spring MVC controllers that hand a response over to the s3-redirect filter: status
 * 200 and the {@code X-S3-Redirect} header, encoded by {@link S3Location#toHeaderValue()}.
 *
 * <pre>{@code
 * @GetMapping("/reports/{id}")
 * ResponseEntity<Void> report(@PathVariable long id) {
 *   Report report = reports.findReadableBy(currentUser(), id);
 *   return S3Redirects.attachment(S3Location.of("media", report.key()), report.fileName());
 * }
 * }</pre>
 *
 * <p>These use the default header name; an application that sets {@code s3-redirect.header-name}
 * sets its own header instead.
 */
public final class S3Redirects {

  private S3Redirects() {}

  /**
   * Returns a 200 answer that the filter replaces with the object.
   *
   * @param location the object to send
   * @return the answer
   */
  public static ResponseEntity<Void> to(S3Location location) {
    return ok(location).build();
  }

  /**
   * Returns a 200 answer that the filter replaces with the object, for the client to save as {@code
   * filename} ({@code Content-Disposition: attachment}, RFC 6266, with a UTF-8 name).
   *
   * @param location the object to send
   * @param filename the name to save as; path separators and control characters become {@code _}
   * @return the answer
   * @throws IllegalArgumentException if {@code filename} is null or blank
   */
  public static ResponseEntity<Void> attachment(S3Location location, String filename) {
    return ok(location)
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment(filename))
        .build();
  }

  /**
   * Returns a builder for a 200 answer naming the object, for adding headers of the application's
   * own ({@code Cache-Control}, {@code Content-Type}, cookies) before {@code build()}. A body given
   * to it is discarded by the filter.
   *
   * @param location the object to send
   * @return the builder
   */
  public static ResponseEntity.BodyBuilder ok(S3Location location) {
    return ResponseEntity.ok()
        .header(S3RedirectSettings.DEFAULT_HEADER_NAME, location.toHeaderValue());
  }
}
