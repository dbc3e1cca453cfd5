package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.store.ObjectMetadata;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepresentationHeadersTest {

  private static final Instant MODIFIED = Instant.parse("2024-03-05T07:08:09.123Z");

  private static ObjectMetadata object(
      String contentType, String cacheControl, String disposition) {
    return new ObjectMetadata(
        10, "\"abc\"", MODIFIED, contentType, null, disposition, null, cacheControl, null);
  }

  private static AppHeaders app(String contentType, String... namesAndValues) {
    Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      kept.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
    }
    return new AppHeaders(contentType, kept);
  }

  private static Map<String, String> resolve(
      AppHeaders app, ObjectMetadata object, String defaultCacheControl) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header :
        RepresentationHeaders.forObject(app, object, Optional.ofNullable(defaultCacheControl))) {
      assertThat(headers.put(header.name(), header.value()))
          .as("set once: " + header.name())
          .isNull();
    }
    return headers;
  }

  @Test
  void theFilterOwnsValidatorsAndRanges() {
    Map<String, String> headers = resolve(app(null), object("video/mp4", null, null), null);

    assertThat(headers)
        .containsEntry("ETag", "\"abc\"")
        .containsEntry("Last-Modified", "Tue, 05 Mar 2024 07:08:09 GMT")
        .containsEntry("Accept-Ranges", "bytes")
        .containsEntry("Content-Type", "video/mp4")
        .doesNotContainKeys("Cache-Control", "Content-Disposition", "Content-Encoding");
  }

  @ParameterizedTest(name = "app={0} object={1} -> {2}")
  @CsvSource({
    "text/x-app, video/mp4,  text/x-app",
    ",           video/mp4,  video/mp4",
    ",           ,           application/octet-stream",
    "'',         ,           application/octet-stream",
  })
  void theApplicationsContentTypeWinsOverTheObjects(
      String appType, String objectType, String sent) {
    assertThat(resolve(app(appType), object(objectType, null, null), null))
        .containsEntry("Content-Type", sent);
  }

  @ParameterizedTest(name = "app={0} object={1} default={2} -> {3}")
  @CsvSource({
    "no-cache, max-age=60, public, ",
    ",         max-age=60, public, max-age=60",
    ",         ,           public, public",
    ",         ,           ,       ",
  })
  void cacheControlComesFromTheApplicationThenTheObjectThenTheDefault(
      String appValue, String objectValue, String defaultValue, String sent) {
    AppHeaders app = appValue == null ? app(null) : app(null, "Cache-Control", appValue);
    Map<String, String> headers = resolve(app, object(null, objectValue, null), defaultValue);
    // The application's own header is already on the response; the filter adds none.
    assertThat(headers.get("Cache-Control")).isEqualTo(sent);
  }

  @Test
  void objectMetadataFillsOnlyWhatTheApplicationLeftUnset() {
    ObjectMetadata object =
        new ObjectMetadata(
            1,
            "\"e\"",
            null,
            null,
            "gzip",
            "attachment",
            "fr",
            null,
            "Thu, 01 Dec 2094 16:00:00 GMT");

    assertThat(resolve(app(null), object, null))
        .containsEntry("Content-Disposition", "attachment")
        .containsEntry("Content-Language", "fr")
        .containsEntry("Expires", "Thu, 01 Dec 2094 16:00:00 GMT")
        .containsEntry("Content-Encoding", "gzip")
        .doesNotContainKey("Last-Modified");
    assertThat(
            resolve(
                app(
                    null,
                    "Content-Disposition",
                    "inline",
                    "Content-Language",
                    "de",
                    "Expires",
                    "0"),
                object,
                null))
        .doesNotContainKeys("Content-Disposition", "Content-Language", "Expires")
        .containsEntry("Content-Encoding", "gzip");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"abc\"              | \"abc\"",
        "\"d41d8cd98f00b204e9800998ecf8427e-3\" | \"d41d8cd98f00b204e9800998ecf8427e-3\"",
        "W/\"weak\"           | W/\"weak\"",
        "abc                  | \"abc\"",
        "'  \"abc\"  '        | \"abc\"",
        "\"a\"b\"             | ",
        "a b                  | ",
        "''                   | ",
      })
  void entityTagsAreValidOrAbsent(String backend, String sent) {
    assertThat(RepresentationHeaders.entityTag(backend)).isEqualTo(Optional.ofNullable(sent));
  }

  @Test
  void metadataThatCouldSplitAResponseIsDropped() {
    ObjectMetadata object =
        new ObjectMetadata(
            1, "\"e\"", null, "text/plain\r\nX-Evil: 1", null, "a\nb", null, "max-age=1\r\n", null);

    assertThat(resolve(app(null), object, null))
        .containsEntry("Content-Type", "application/octet-stream")
        .doesNotContainKeys("Content-Disposition", "Cache-Control");
  }

  private static final String SHA256 = "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=";

  private static ObjectMetadata withChecksums(Map<String, String> checksums, String type) {
    return new ObjectMetadata(
        11, "\"abc\"", MODIFIED, null, null, null, null, null, null, checksums, type);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "no checksums: no fields | | null | null | null | true | null | null",
        "whole GET, nothing asked: Repr-Digest only | sha256 | FULL_OBJECT | null | null | true"
            + " | sha-256 | null",
        "whole GET, content asked: both | sha256 | FULL_OBJECT | null | sha-256=1 | true"
            + " | sha-256 | sha-256",
        "partial or HEAD, content asked: Repr-Digest only | sha256 | FULL_OBJECT | null"
            + " | sha-256=1 | false | sha-256 | null",
        "composite: nothing | sha256 | COMPOSITE | null | sha-256=1 | true | null | null",
        "type unknown, value plain: sent | sha256 | null | null | null | true | sha-256 | null",
        "client refuses sha-256 | sha256 | FULL_OBJECT | sha-256=0 | null | true | null | null",
        "content asked for what S3 lacks | sha256 | FULL_OBJECT | null | sha-512=1 | true"
            + " | sha-256 | null",
      })
  void digestFieldsComeFromStoredChecksumsAsTheClientPrefers(
      String why,
      String algorithm,
      String type,
      String wantRepr,
      String wantContent,
      boolean wholeBody,
      String reprKey,
      String contentKey) {
    Map<String, String> checksums = algorithm == null ? Map.of() : Map.of(algorithm, SHA256);
    Map<String, String> fields = new LinkedHashMap<>();
    for (Header header :
        RepresentationHeaders.digests(
            withChecksums(checksums, type), want(wantRepr), want(wantContent), wholeBody)) {
      fields.put(header.name(), header.value());
    }

    assertThat(fields.get("Repr-Digest"))
        .isEqualTo(reprKey == null ? null : reprKey + "=:" + SHA256 + ":");
    assertThat(fields.get("Content-Digest"))
        .isEqualTo(contentKey == null ? null : contentKey + "=:" + SHA256 + ":");
  }

  private static dev.s3redirect.internal.http.ReprDigests.Want want(String field) {
    return dev.s3redirect.internal.http.ReprDigests.parseWant(
        field == null ? List.of() : List.of(field));
  }

  @Test
  void checksumsWithoutAValueAreDroppedAndTheRestCopied() {
    Map<String, String> checksums = new java.util.HashMap<>();
    checksums.put("sha256", SHA256);
    checksums.put("crc32c", null);

    ObjectMetadata object = withChecksums(checksums, "FULL_OBJECT");
    checksums.clear();

    assertThat(object.checksums()).containsExactly(Map.entry("sha256", SHA256));
    assertThat(object.withoutChecksums().checksums()).isEmpty();
    assertThat(object.withoutChecksums().checksumType()).isNull();
    assertThat(object.withoutChecksums().eTag()).isEqualTo(object.eTag());
  }
}
