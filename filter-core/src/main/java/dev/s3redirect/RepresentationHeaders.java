package dev.s3redirect;

import dev.s3redirect.internal.http.EntityTag;
import dev.s3redirect.internal.http.HttpDates;
import dev.s3redirect.internal.http.ReprDigests;
import dev.s3redirect.internal.http.Validators;
import dev.s3redirect.store.ObjectMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides the headers that describe a served object: which come from the object, which from the
 * application, which the filter owns. Pure: no I/O, no servlet state.
 */
final class RepresentationHeaders {

  /** A response header to set. */
  record Header(String name, String value) {}

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /** An entity-tag as RFC 9110 §8.8.3 defines it: optional {@code W/}, then a quoted string. */
  private static final Pattern ENTITY_TAG =
      Pattern.compile("(W/)?\"[\\x21\\x23-\\x7E\\x80-\\xFF]*\"");

  /** The characters of an unquoted tag some S3-compatible servers send; quoting makes it valid. */
  private static final Pattern BARE_TAG = Pattern.compile("[\\x21\\x23-\\x7E]+");

  private RepresentationHeaders() {}

  /**
   * Returns the headers for a 200 response carrying the object (or, for HEAD, describing it),
   * except {@code Content-Length}, which the writer sets.
   *
   * <p>The filter owns {@code ETag}, {@code Last-Modified}, {@code Accept-Ranges} and {@code
   * Content-Encoding}. The application's {@code Content-Type} wins over the object's; the object's
   * {@code Content-Disposition}, {@code Cache-Control}, {@code Content-Language} and {@code
   * Expires} fill in where the application set none, and the configured default {@code
   * Cache-Control} after that.
   */
  static List<Header> forObject(
      AppHeaders app, ObjectMetadata object, Optional<String> defaultCacheControl) {
    List<Header> headers = new ArrayList<>(8);
    headers.add(new Header("Content-Type", contentType(app, object)));
    entityTag(object.eTag()).ifPresent(tag -> headers.add(new Header("ETag", tag)));
    object
        .lastModifiedValue()
        .ifPresent(time -> headers.add(new Header("Last-Modified", HttpDates.format(time))));
    headers.add(new Header("Accept-Ranges", "bytes"));
    firstValid(object.contentEncoding())
        .ifPresent(value -> headers.add(new Header("Content-Encoding", value)));
    fillIn(headers, app, "Content-Disposition", object.contentDisposition());
    fillIn(headers, app, "Content-Language", object.contentLanguage());
    fillIn(headers, app, "Expires", object.expires());
    if (!app.has("Cache-Control")) {
      firstValid(object.cacheControl(), defaultCacheControl.orElse(null))
          .ifPresent(value -> headers.add(new Header("Cache-Control", value)));
    }
    return headers;
  }

  /**
   * Returns the RFC 9530 digest fields for an answer carrying or describing the object, from the
   * checksums S3 stores for it (never computed from the body): {@code Repr-Digest} whenever S3 has
   * a registered one that is not composite, as the client prefers; {@code Content-Digest} only when
   * the client asked for it and the body is the whole representation (a 200 to a GET).
   *
   * @param object the object's metadata, with the checksums S3 sent for the whole object
   * @param wantRepr the client's {@code Want-Repr-Digest}
   * @param wantContent the client's {@code Want-Content-Digest}
   * @param wholeBody whether the response's content is the whole representation
   * @return the fields, possibly none
   */
  static List<Header> digests(
      ObjectMetadata object,
      ReprDigests.Want wantRepr,
      ReprDigests.Want wantContent,
      boolean wholeBody) {
    if (object.checksums().isEmpty()) {
      return List.of();
    }
    List<Header> headers = new ArrayList<>(2);
    ReprDigests.fieldValue(object.checksums(), object.checksumType(), wantRepr)
        .ifPresent(value -> headers.add(new Header("Repr-Digest", value)));
    if (wholeBody && wantContent.isSent()) {
      ReprDigests.fieldValue(object.checksums(), object.checksumType(), wantContent)
          .ifPresent(value -> headers.add(new Header("Content-Digest", value)));
    }
    return headers;
  }

  /**
   * Returns the headers of a 304 for the object (RFC 9110 §15.4.5): {@code ETag} and {@code
   * Last-Modified}, and the {@code Cache-Control} and {@code Expires} a 200 would carry where the
   * application set none. The application's {@code Vary}, {@code Content-Location} and other
   * headers stay on the response.
   */
  static List<Header> forNotModified(
      AppHeaders app, Answer.NotModified object, Optional<String> defaultCacheControl) {
    List<Header> headers = new ArrayList<>(4);
    entityTag(object.eTag()).ifPresent(tag -> headers.add(new Header("ETag", tag)));
    if (object.lastModified() != null) {
      headers.add(new Header("Last-Modified", HttpDates.format(object.lastModified())));
    }
    fillIn(headers, app, "Expires", object.expires());
    if (!app.has("Cache-Control")) {
      firstValid(object.cacheControl(), defaultCacheControl.orElse(null))
          .ifPresent(value -> headers.add(new Header("Cache-Control", value)));
    }
    return headers;
  }

  /**
   * Returns the object's validators as conditional requests are evaluated against them.
   *
   * @param object the object's metadata
   * @return its entity-tag (when valid) and modification time
   */
  static Validators validators(ObjectMetadata object) {
    return Validators.of(
        entityTag(object.eTag()).flatMap(EntityTag::parse).orElse(null), object.lastModified());
  }

  /**
   * Returns the {@code Content-Type} a response for the object carries.
   *
   * @param app what the application set
   * @param object the object's metadata
   * @return the application's, else the object's, else {@code application/octet-stream}
   */
  static String contentType(AppHeaders app, ObjectMetadata object) {
    return firstValid(app.contentType(), object.contentType()).orElse(DEFAULT_CONTENT_TYPE);
  }

  /**
   * Returns whether the object has a {@code Content-Encoding} the filter sends.
   *
   * @param object the object's metadata
   * @return whether the representation is encoded
   */
  static boolean encoded(ObjectMetadata object) {
    return firstValid(object.contentEncoding()).isPresent();
  }

  /**
   * Returns a valid entity-tag for what the backend sent: as is when valid, quoted when the backend
   * left the quotes off, absent when it cannot be made valid.
   */
  static Optional<String> entityTag(String backendTag) {
    if (backendTag == null) {
      return Optional.empty();
    }
    String tag = backendTag.strip();
    if (ENTITY_TAG.matcher(tag).matches()) {
      return Optional.of(tag);
    }
    if (BARE_TAG.matcher(tag).matches()) {
      return Optional.of('"' + tag + '"');
    }
    return Optional.empty();
  }

  private static void fillIn(List<Header> headers, AppHeaders app, String name, String value) {
    if (!app.has(name)) {
      firstValid(value).ifPresent(v -> headers.add(new Header(name, v)));
    }
  }

  /** The first value that is present and safe to put in a header line. */
  private static Optional<String> firstValid(String... values) {
    for (String value : values) {
      if (value != null
          && !value.isBlank()
          && value.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F)) {
        return Optional.of(value.strip());
      }
    }
    return Optional.empty();
  }
}
