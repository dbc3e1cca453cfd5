package dev.s3redirect;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The S3 object an application names in its redirect header: a bucket, a key and optionally a
 * version.
 *
 * <p>The header value has the form {@code s3://<bucket>/<key>[?versionId=<id>]}; {@code
 * <bucket>/<key>} is accepted too. The key (and the version id) are percent-encoded UTF-8 as in RFC
 * 3986, with {@code /} left literal, and are decoded exactly once, so keys containing spaces,
 * {@code %}, {@code +}, {@code ?}, {@code #} or any Unicode character round-trip. Build values with
 * {@link #toHeaderValue()} rather than by hand:
 *
 * <pre>{@code
 * response.setHeader("X-S3-Redirect", S3Location.of("media", "films/été 2024.mp4").toHeaderValue());
 * }</pre>
 *
 * <p>Keys with {@code .} or {@code ..} path segments, control characters, or more than 1024 UTF-8
 * bytes are rejected: HTTP clients and proxies on the way to S3 may normalise such paths to another
 * object, which would defeat the allow-list.
 *
 * @param bucket the bucket name
 * @param key the object key, decoded
 * @param versionId the object version, or {@code null} for the current version
 */
public record S3Location(String bucket, String key, String versionId) {

  private static final String SCHEME = "s3://";
  private static final String VERSION_PARAMETER = "versionId";
  private static final int MAX_KEY_BYTES = 1024;
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Validates the parts.
   *
   * @param bucket the bucket name
   * @param key the object key, decoded
   * @param versionId the object version, or {@code null} for the current version
   * @throws IllegalArgumentException if the bucket name is not a valid bucket name, the key is
   *     empty, too long, contains a control character or a {@code .}/{@code ..} segment, or the
   *     version id is empty or contains a control character
   */
  public S3Location {
    requireBucket(bucket);
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the object key is empty");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the object key is longer than 1024 UTF-8 bytes");
    }
    requireNoControlCharacters(key, "the object key");
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("the object key has a '" + segment + "' segment");
      }
    }
    if (versionId != null) {
      if (versionId.isEmpty()) {
        throw new IllegalArgumentException("the version id is empty");
      }
      requireNoControlCharacters(versionId, "the version id");
    }
  }

  /**
   * Returns the location of the current version of an object.
   *
   * @param bucket the bucket name
   * @param key the object key, not encoded
   * @return the location
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static S3Location of(String bucket, String key) {
    return new S3Location(bucket, key, null);
  }

  /**
   * Returns this location pinned to one version of the object.
   *
   * @param versionId the version id, not encoded
   * @return a new location
   */
  public S3Location withVersionId(String versionId) {
    return new S3Location(bucket, key, Objects.requireNonNull(versionId, "versionId"));
  }

  /**
   * Returns the version id, if this location names one.
   *
   * @return the version id
   */
  public Optional<String> version() {
    return Optional.ofNullable(versionId);
  }

  /**
   * Parses a redirect header value.
   *
   * @param headerValue {@code s3://bucket/key[?versionId=id]} or {@code bucket/key[?versionId=id]}
   * @return the location it names
   * @throws IllegalArgumentException if the value is malformed; the message says why, and never
   *     repeats the value
   */
  public static S3Location parse(String headerValue) {
    Objects.requireNonNull(headerValue, "headerValue");
    String value = headerValue.strip();
    requireNoControlCharacters(value, "the header value");
    if (value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      value = value.substring(SCHEME.length());
    } else if (value.contains("://")) {
      throw new IllegalArgumentException("only the s3:// scheme is supported");
    }
    if (value.indexOf('#') >= 0) {
      throw new IllegalArgumentException("'#' must be percent-encoded as %23");
    }
    String query = null;
    int question = value.indexOf('?');
    if (question >= 0) {
      query = value.substring(question + 1);
      value = value.substring(0, question);
    }
    int slash = value.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected <bucket>/<key>");
    }
    String bucket = value.substring(0, slash);
    String key = percentDecode(value.substring(slash + 1), "the object key");
    return new S3Location(bucket, key, query == null ? null : parseVersionId(query));
  }

  /**
   * Returns the canonical header value for this location, {@code s3://bucket/key[?versionId=id]},
   * with the key and version id percent-encoded so that {@link #parse(String)} returns an equal
   * location.
   *
   * @return the header value
   */
  public String toHeaderValue() {
    StringBuilder out = new StringBuilder(SCHEME.length() + bucket.length() + key.length() + 16);
    out.append(SCHEME).append(bucket).append('/');
    percentEncode(key, true, out);
    if (versionId != null) {
      out.append('?').append(VERSION_PARAMETER).append('=');
      percentEncode(versionId, false, out);
    }
    return out.toString();
  }

  /** Returns the header value: safe to log, as every character outside ASCII is encoded. */
  @Override
  public String toString() {
    return toHeaderValue();
  }

  private static String parseVersionId(String query) {
    String versionId = null;
    for (String parameter : query.split("&", -1)) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      if (!name.equals(VERSION_PARAMETER) || equals < 0) {
        throw new IllegalArgumentException("the only query parameter allowed is versionId=<id>");
      }
      if (versionId != null) {
        throw new IllegalArgumentException("versionId is given more than once");
      }
      versionId = percentDecode(parameter.substring(equals + 1), "the version id");
    }
    return versionId;
  }

  private static void requireBucket(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("not a valid bucket name");
    }
  }

  static boolean isValidBucketName(String bucket) {
    return bucket != null && BUCKET.matcher(bucket).matches();
  }

  private static void requireNoControlCharacters(String value, String what) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new IllegalArgumentException(what + " contains a control character");
      }
    }
  }

  private static String percentDecode(String encoded, String what) {
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (low < 0) {
          throw new IllegalArgumentException(what + " has a '%' not followed by two hex digits");
        }
        bytes.write((high << 4) | low);
        i += 2;
      } else {
        byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
          literal = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(literal);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not percent-encoded UTF-8", e);
    }
  }

  private static void percentEncode(String value, boolean keepSlash, StringBuilder out) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
