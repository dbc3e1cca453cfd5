package dev.s3redirect.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.s3redirect.internal.http.ReprDigests.Want;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReprDigests}: S3 checksums of the 11 bytes {@code hello world} as RFC 9530 digest fields.
 */
class ReprDigestsTest {

  // Real checksums of "hello world", base64 as S3 sends them.
  static final String SHA256 = "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=";
  static final String SHA512 =
      "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==";
  static final String CRC32C = "yZRlqg==";
  static final String SHA1 = "Kq5sNclPz7QV2+lfQIuc6R7oRu0=";
  static final String MD5 = "XrY7u+Ae7tCTyyK7j1rNww==";
  static final String CRC32 = "DUoRhQ==";
  static final String CRC64NVME = "jSnVw/bqjr4=";
  // Well-formed values of the lengths S3 uses for the xxHash family (8, 8 and 16 bytes).
  static final String XXHASH64 = "RVCSvR+8r5w=";
  static final String XXHASH3 = "0ptlNsg8OPM=";
  static final String XXHASH128 = "3z2Ww4ZwkbEi0T1YTRhd7A==";

  /** SHA-256 of the empty string: a second well-formed 32-byte value. */
  static final String SHA256_OF_EMPTY = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

  /** Every checksum S3 can return, as a backend that computed them all would send them. */
  static final Map<String, String> ALL = all();

  /** The member each registry key becomes in the field, for the values above. */
  static final Map<String, String> MEMBERS =
      Map.of(
          "sha-256", "sha-256=:" + SHA256 + ":",
          "sha-512", "sha-512=:" + SHA512 + ":",
          "crc32c", "crc32c=:" + CRC32C + ":",
          "sha", "sha=:" + SHA1 + ":",
          "md5", "md5=:" + MD5 + ":");

  static final String DEFAULTS = "sha-256 sha-512";

  private static Map<String, String> all() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("crc32", CRC32);
    all.put("crc32c", CRC32C);
    all.put("crc64nvme", CRC64NVME);
    all.put("sha1", SHA1);
    all.put("sha256", SHA256);
    all.put("sha512", SHA512);
    all.put("md5", MD5);
    all.put("xxhash64", XXHASH64);
    all.put("xxhash3", XXHASH3);
    all.put("xxhash128", XXHASH128);
    return all;
  }

  /** The field expected for space-separated registry keys; {@code none} means no field. */
  private static Optional<String> expected(String keys) {
    if (keys.equals("none")) {
      return Optional.empty();
    }
    return Optional.of(
        Arrays.stream(keys.split(" ")).map(MEMBERS::get).collect(Collectors.joining(", ")));
  }

  private static Optional<String> field(
      Map<String, String> checksums, String type, List<String> wantLines) {
    return ReprDigests.fieldValue(checksums, type, ReprDigests.parseWant(wantLines));
  }

  private static Optional<String> field(Map<String, String> checksums, List<String> wantLines) {
    return field(checksums, "FULL_OBJECT", wantLines);
  }

  @Test
  @DisplayName("without a preference both active digests are sent, sha-256 first, canonically")
  void exactDefaultField() {
    assertThat(field(ALL, List.of()))
        .contains(
            "sha-256=:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=:, "
                + "sha-512=:MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDo"
                + "H2Bdz33FVC6TrpzXbw==:");
  }

  @Nested
  @DisplayName("S3 algorithms to IANA digest keys (RFC 9530 §5, §7.2)")
  class Mapping {

    @ParameterizedTest(name = "S3 {0} is sent as {2} when asked for")
    @CsvSource(
        delimiter = '|',
        value = {
          "sha256    | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=     | sha-256",
          "SHA256    | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=     | sha-256",
          "Sha256    | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=     | sha-256",
          "sha512    | "
              + "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
              + " | sha-512",
          "sHA512    | "
              + "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
              + " | sha-512",
          "crc32c    | yZRlqg==                                         | crc32c",
          "CRC32C    | yZRlqg==                                         | crc32c",
          "sha1      | Kq5sNclPz7QV2+lfQIuc6R7oRu0=                     | sha",
          "SHA1      | Kq5sNclPz7QV2+lfQIuc6R7oRu0=                     | sha",
          "md5       | XrY7u+Ae7tCTyyK7j1rNww==                         | md5",
          "MD5       | XrY7u+Ae7tCTyyK7j1rNww==                         | md5",
        })
    void eachRegisteredAlgorithmHasItsKey(String s3Name, String value, String key) {
      assertThat(field(Map.of(s3Name, value), List.of(key + "=1"))).isEqualTo(expected(key));
      assertThat(field(Map.of(s3Name, value), null, List.of(key + "=10"))).isEqualTo(expected(key));
    }

    @ParameterizedTest(name = "S3 {0} is sent as {1} without a preference: active")
    @CsvSource({"sha256, sha-256", "SHA256, sha-256", "sha512, sha-512", "SHA512, sha-512"})
    void activeAlgorithmsAreSentUnasked(String s3Name, String key) {
      String value = s3Name.equalsIgnoreCase("sha256") ? SHA256 : SHA512;
      assertThat(field(Map.of(s3Name, value), List.of())).isEqualTo(expected(key));
    }

    @ParameterizedTest(name = "S3 {0} is deprecated in the registry: not sent unasked")
    @CsvSource({
      "crc32c, yZRlqg==",
      "sha1, Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
      "md5, XrY7u+Ae7tCTyyK7j1rNww=="
    })
    void deprecatedAlgorithmsAreNotSentUnasked(String s3Name, String value) {
      assertThat(field(Map.of(s3Name, value), List.of())).isEmpty();
      assertThat(field(Map.of(s3Name, value), List.of("sha-256=10, sha-512=10"))).isEmpty();
      assertThat(field(Map.of(s3Name, value), List.of("SHA-256=10"))).isEmpty();
    }

    @Test
    @DisplayName("deprecated digests alone give no field without a preference")
    void onlyDeprecatedAvailable() {
      Map<String, String> deprecated = Map.of("crc32c", CRC32C, "sha1", SHA1, "md5", MD5);
      assertThat(field(deprecated, List.of())).isEmpty();
      assertThat(field(deprecated, List.of("md5=1"))).isEqualTo(expected("md5"));
    }

    @ParameterizedTest(name = "S3 {0} has no registered key and is never sent")
    @CsvSource(
        delimiter = '|',
        value = {
          "crc32     | DUoRhQ==",
          "CRC32     | DUoRhQ==",
          "crc64nvme | jSnVw/bqjr4=",
          "CRC64NVME | jSnVw/bqjr4=",
          "xxhash64  | RVCSvR+8r5w=",
          "xxhash3   | 0ptlNsg8OPM=",
          "xxhash128 | 3z2Ww4ZwkbEi0T1YTRhd7A==",
          "XXHASH128 | XrY7u+Ae7tCTyyK7j1rNww==",
          "sha-256   | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "sha_256   | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "sha384    | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "sha       | Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
          "' sha1'   | Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
          "md5 x     | XrY7u+Ae7tCTyyK7j1rNww==",
          "''        | XrY7u+Ae7tCTyyK7j1rNww==",
        })
    void unregisteredAlgorithmsAreNeverSent(String s3Name, String value) {
      for (List<String> want :
          List.of(
              List.<String>of(),
              List.of("crc32=10, crc64nvme=10, xxhash64=10, xxhash3=10, xxhash128=10"),
              List.of("sha-256=1, sha-512=1, crc32c=1, sha=1, md5=1"),
              List.of("unixsum=10, unixcksum=10, adler=10, id-sha-256=10"))) {
        assertThat(field(Map.of(s3Name, value), want)).as("want %s", want).isEmpty();
      }
    }

    @ParameterizedTest(name = "want {0} with every S3 checksum available sends {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "crc32=10, sha=1                | sha",
          "crc64nvme=10, md5=1            | md5",
          "xxhash128=10, crc32c=1         | crc32c",
          "crc32=10                       | none",
          "xxhash64=10, xxhash3=10        | none",
        })
    void unregisteredPreferencesAreNotAnswered(String want, String keys) {
      assertThat(field(ALL, List.of(want))).isEqualTo(expected(keys));
    }
  }

  @Nested
  @DisplayName("values S3 sent that are not a representation digest are skipped")
  class Values {

    @ParameterizedTest(name = "S3 {0} with a {2}-byte value is skipped")
    @CsvSource(
        delimiter = '|',
        value = {
          "sha256 | sha-256 | 64 | "
              + "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==",
          "sha256 | sha-256 | 20 | Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
          "sha256 | sha-256 | 30 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLv",
          "sha256 | sha-256 | 31 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzQ==",
          "sha256 | sha-256 | 33 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzekA",
          "sha256 | sha-256 | 0  | ''",
          "sha512 | sha-512 | 32 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "sha512 | sha-512 | 63 | "
              + "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzX",
          "crc32c | crc32c  | 8  | jSnVw/bqjr4=",
          "crc32c | crc32c  | 3  | yZRl",
          "crc32c | crc32c  | 5  | yZRlqgA=",
          "sha1   | sha     | 16 | XrY7u+Ae7tCTyyK7j1rNww==",
          "sha1   | sha     | 32 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "md5    | md5     | 20 | Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
          "md5    | md5     | 4  | yZRlqg==",
          "md5    | md5     | 8  | RVCSvR+8r5w=",
        })
    void wrongLengthIsSkipped(String s3Name, String key, int length, String value) {
      assertThat(field(Map.of(s3Name, value), List.of(key + "=1"))).isEmpty();
      assertThat(field(Map.of(s3Name, value), List.of())).isEmpty();
    }

    @ParameterizedTest(name = "S3 sha256 {0} is not strict base64 and is skipped")
    @ValueSource(
        strings = {
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek==",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek===",
          "uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgilLlLX2n2r_sSE7_N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\u0000",
          "uU0nuZNNPgil LlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgil\tLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgil\r\nLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\n",
          "\u00a0uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "uU0n=ZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "=U0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvze=k",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvz\u00e9k=",
          "\"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\"",
          ":uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=:",
          "sha-256=:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=:",
          "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
          "====",
          "=",
          "-",
        })
    void badBase64IsSkippedNeverThrown(String value) {
      assertThat(field(Map.of("sha256", value), List.of())).isEmpty();
      assertThat(field(Map.of("sha256", value, "sha512", SHA512), List.of()))
          .isEqualTo(expected("sha-512"));
    }

    @ParameterizedTest(name = "S3 sha256 [{0}] is trimmed of SP and HTAB")
    @ValueSource(
        strings = {
          " uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
          "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek= ",
          "\tuU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\t",
          " \t uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek= \t ",
        })
    void surroundingWhitespaceIsStripped(String value) {
      assertThat(field(Map.of("sha256", value), List.of())).isEqualTo(expected("sha-256"));
    }

    @ParameterizedTest(name = "S3 {0} {1} (non-zero pad bits) is sent canonically as {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "sha256 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzel= | sha-256",
          "sha256 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzen= | sha-256",
          "md5    | XrY7u+Ae7tCTyyK7j1rNwx==                     | md5",
          "md5    | XrY7u+Ae7tCTyyK7j1rNw/==                     | md5",
          "crc32c | yZRlqh==                                     | crc32c",
          "sha1   | Kq5sNclPz7QV2+lfQIuc6R7oRu1=                 | sha",
        })
    void outputIsReEncodedCanonically(String s3Name, String value, String key) {
      assertThat(field(Map.of(s3Name, value), List.of(key + "=1"))).isEqualTo(expected(key));
    }

    @ParameterizedTest(name = "checksum type {0}: a composite checksum gives no field")
    @ValueSource(strings = {"COMPOSITE", "composite", "Composite", " COMPOSITE", "COMPOSITE\t"})
    void compositeTypeGivesNoField(String type) {
      for (List<String> want :
          List.of(
              List.<String>of(),
              List.of("sha-256=1"),
              List.of("md5=10, sha=10, crc32c=10"),
              List.of("INVALID"))) {
        assertThat(field(ALL, type, want)).as("want %s", want).isEmpty();
      }
    }

    @ParameterizedTest(name = "checksum type [{0}] is not composite: the digests are sent")
    @ValueSource(strings = {"FULL_OBJECT", "full_object", "", "COMPOSITES", "COMPOSITE-3", "PART"})
    void otherTypesAreNotComposite(String type) {
      assertThat(field(ALL, type, List.of())).isEqualTo(expected(DEFAULTS));
      assertThat(field(ALL, type, List.of("md5=1"))).isEqualTo(expected("md5"));
    }

    @Test
    @DisplayName("no checksum type (null) is not composite")
    void absentTypeIsNotComposite() {
      assertThat(field(ALL, null, List.of())).isEqualTo(expected(DEFAULTS));
    }

    @ParameterizedTest(name = "S3 {0} {1} is in composite form and skipped, type {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "sha256 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=-3   | FULL_OBJECT",
          "sha256 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=-3   |",
          "sha256 | uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=-10000 |",
          "sha256 | abc=-3                                           | FULL_OBJECT",
          "sha256 | 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=-2 ' |",
          "sha512 | "
              + "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==-2"
              + " | FULL_OBJECT",
          "sha1   | Kq5sNclPz7QV2+lfQIuc6R7oRu0=-5                   |",
          "md5    | XrY7u+Ae7tCTyyK7j1rNww==-12                      | FULL_OBJECT",
          "crc32c | yZRlqg==-2                                       |",
          "md5    | XrY7u+Ae7tCTyyK7j1rNww-2                         |",
          "md5    | -2                                               |",
        })
    void compositeSuffixIsSkipped(String s3Name, String value, String type) {
      assertThat(field(Map.of(s3Name, value), type, List.of("sha-256=1, sha-512=1, crc32c=1")))
          .isEmpty();
      assertThat(field(Map.of(s3Name, value), type, List.of("sha=1, md5=1"))).isEmpty();
      assertThat(field(Map.of(s3Name, value), type, List.of())).isEmpty();
    }

    @Test
    @DisplayName("a composite-form value is skipped and the other digests are still sent")
    void compositeSuffixSkipsOnlyThatValue() {
      Map<String, String> checksums = Map.of("sha256", SHA256 + "-3", "sha512", SHA512);
      assertThat(field(checksums, List.of())).isEqualTo(expected("sha-512"));
      assertThat(field(checksums, List.of("sha-256=10, sha-512=1"))).isEqualTo(expected("sha-512"));
    }

    @Test
    @DisplayName("default order is sha-256 then sha-512 whatever the map's order")
    void defaultOrderIsFixed() {
      Map<String, String> checksums = new LinkedHashMap<>();
      checksums.put("sha512", SHA512);
      checksums.put("md5", MD5);
      checksums.put("sha256", SHA256);
      assertThat(field(checksums, List.of())).isEqualTo(expected(DEFAULTS));
    }

    @Test
    @DisplayName("the same algorithm under two spellings: equal values are sent")
    void caseVariantsThatAgree() {
      Map<String, String> checksums = Map.of("sha256", SHA256, "SHA256", SHA256);
      assertThat(field(checksums, List.of())).isEqualTo(expected("sha-256"));
    }

    @Test
    @DisplayName("the same algorithm under two spellings: differing values are both dropped")
    void caseVariantsThatDisagree() {
      Map<String, String> checksums =
          Map.of("sha256", SHA256, "Sha256", SHA256_OF_EMPTY, "sha512", SHA512);
      assertThat(field(checksums, List.of())).isEqualTo(expected("sha-512"));
      assertThat(field(checksums, List.of("sha-256=1"))).isEmpty();
    }

    @Test
    @DisplayName("the same algorithm under two spellings: only the valid one counts")
    void caseVariantsOneValid() {
      Map<String, String> checksums = Map.of("sha256", SHA256, "SHA256", SHA256 + "-2");
      assertThat(field(checksums, List.of())).isEqualTo(expected("sha-256"));
    }

    @Test
    @DisplayName("null keys and values are skipped, never thrown")
    void nullEntriesAreSkipped() {
      Map<String, String> checksums = new HashMap<>();
      checksums.put(null, SHA256);
      checksums.put("sha256", null);
      checksums.put("sha512", SHA512);
      assertThat(field(checksums, List.of())).isEqualTo(expected("sha-512"));
    }

    @Test
    @DisplayName("no checksums give no field")
    void noChecksums() {
      assertThat(field(Map.of(), List.of())).isEmpty();
      assertThat(field(Map.of(), null, List.of("sha-256=1"))).isEmpty();
    }
  }

  @Nested
  @DisplayName("the client's preference (RFC 9530 §4)")
  class Preferences {

    static Stream<Arguments> preferences() {
      return Stream.of(
          // One algorithm asked for.
          arguments(List.of("sha-256=1"), "sha-256"),
          arguments(List.of("sha-512=1"), "sha-512"),
          arguments(List.of("crc32c=10"), "crc32c"),
          arguments(List.of("sha=3"), "sha"),
          arguments(List.of("md5=1"), "md5"),
          // Highest weight wins, deprecated or not: the client knows what it can check.
          arguments(List.of("sha-256=3, sha-512=10"), "sha-512"),
          arguments(List.of("sha-256=10, sha-512=3"), "sha-256"),
          arguments(List.of("md5=10, sha-256=9"), "md5"),
          arguments(List.of("sha-512=1, sha=2"), "sha"),
          arguments(List.of("crc32c=7, sha-512=6, sha-256=5"), "crc32c"),
          // Ties: sha-512, sha-256, crc32c, sha, md5.
          arguments(List.of("sha-256=5, sha-512=5"), "sha-512"),
          arguments(List.of("sha-512=5, sha-256=5"), "sha-512"),
          arguments(List.of("sha-256=5, crc32c=5"), "sha-256"),
          arguments(List.of("crc32c=5, sha=5, md5=5"), "crc32c"),
          arguments(List.of("md5=5, sha=5"), "sha"),
          arguments(List.of("md5=1, sha-256=1, sha-512=1, sha=1, crc32c=1"), "sha-512"),
          arguments(List.of("md5=10, sha-256=1, sha-512=1, sha=1, crc32c=1"), "md5"),
          // Weight 0 is "not acceptable".
          arguments(List.of("sha-512=0, sha-256=1"), "sha-256"),
          arguments(List.of("sha-256=0"), "none"),
          arguments(List.of("sha-256=0, sha-512=0"), "none"),
          arguments(List.of("md5=0"), "none"),
          arguments(List.of("md5=-0, sha=1"), "sha"),
          // Weights outside 0..10 are ignored members.
          arguments(List.of("sha-512=11, sha-256=1"), "sha-256"),
          arguments(List.of("sha-512=-1, md5=2"), "md5"),
          arguments(List.of("sha-512=999999999999999, md5=1"), "md5"),
          arguments(List.of("sha-512=-999999999999999, md5=1"), "md5"),
          arguments(List.of("sha-512=11"), "none"),
          arguments(List.of("md5=010, sha-512=9"), "md5"),
          // Values of other types parse but are ignored.
          arguments(List.of("sha-512=?1, md5=1"), "md5"),
          arguments(List.of("sha-512=?0, md5=1"), "md5"),
          arguments(List.of("sha-512, md5=1"), "md5"),
          arguments(List.of("md5=1, sha-512"), "md5"),
          arguments(List.of("sha-512=5.0, sha=1"), "sha"),
          arguments(List.of("sha-512=-9.125, sha=1"), "sha"),
          arguments(List.of("sha-512=123456789012.123, sha=1"), "sha"),
          arguments(List.of("sha-512=\"10\", sha=1"), "sha"),
          arguments(List.of("sha-512=\"a \\\"q\\\" \\\\ b\", sha=1"), "sha"),
          arguments(List.of("sha-512=ten, sha=1"), "sha"),
          arguments(List.of("sha-512=*Tok:en/x!#$%&'*+-.^_`|~9, sha=1"), "sha"),
          arguments(List.of("sha-512=:AAAA:, sha=1"), "sha"),
          arguments(List.of("sha-512=::, sha=1"), "sha"),
          arguments(List.of("sha-512=@1700000000, sha=1"), "sha"),
          arguments(List.of("sha-512=@-1, sha=1"), "sha"),
          arguments(List.of("sha-512=%\"10 %c3%a9\", sha=1"), "sha"),
          arguments(List.of("sha-512=(10), sha=1"), "sha"),
          arguments(List.of("sha-512=(10 9);a=1, sha=1"), "sha"),
          arguments(List.of("sha-512=( 10  9 ), sha=1"), "sha"),
          arguments(List.of("sha-512=(), sha=1"), "sha"),
          arguments(List.of("sha-512=(1;a=2 \"x\";b), sha=1"), "sha"),
          arguments(List.of("sha-256=?1"), "none"),
          arguments(List.of("sha-256"), "none"),
          // Parameters are ignored.
          arguments(List.of("md5=2;q=0, sha-256=1;q=10"), "md5"),
          arguments(List.of("sha=2;a;b=?0;c=\"x\";d=1.5;e=tok;f=:AA==:, sha-256=1"), "sha"),
          arguments(List.of("sha=2; a=1;  b, sha-256=1"), "sha"),
          arguments(List.of("sha-512;w=10, md5=1"), "md5"),
          // Duplicates: the last one wins.
          arguments(List.of("sha-256=1, sha-512=2, sha-256=3"), "sha-256"),
          arguments(List.of("sha-512=9, sha-512=0, sha-256=1"), "sha-256"),
          arguments(List.of("sha-512=0, sha-512=9, sha-256=1"), "sha-512"),
          arguments(List.of("sha-512=9, sha-512, md5=1"), "md5"),
          arguments(List.of("sha-512=9, sha-512=11, md5=1"), "md5"),
          // Whitespace around commas and the field.
          arguments(List.of("sha-256=1 ,  sha-512=2"), "sha-512"),
          arguments(List.of("sha-256=1\t,\tmd5=2"), "md5"),
          arguments(List.of("sha-256=1,md5=2"), "md5"),
          arguments(List.of("  md5=2  "), "md5"),
          arguments(List.of("\tmd5=2\t"), "md5"),
          // Keys the server has no digest for are ignored.
          arguments(List.of("unixsum=10, adler=10, md5=1"), "md5"),
          arguments(List.of("*foo=10, a_b-c.d*=10, x9=10, md5=1"), "md5"),
          arguments(List.of("unixsum=10"), "none"),
          arguments(List.of("unixsum=123456789012345, md5=1"), "md5"),
          // Several field lines combine as one, joined with ", ".
          arguments(List.of("sha-256=1", "md5=2"), "md5"),
          arguments(List.of("md5=2", "md5=0"), "none"),
          arguments(List.of("md5=0", "md5=2"), "md5"),
          arguments(List.of(" md5=1 ", "\tsha=2\t"), "sha"),
          arguments(List.of("md5=1, sha-256=3", "sha=2"), "sha-256"),
          arguments(List.of("md5=(1", "2)"), DEFAULTS),
          arguments(List.of("md5=1,", "sha=2"), DEFAULTS),
          arguments(List.of("sha=2", ""), DEFAULTS),
          arguments(List.of("sha=2", "SHA=3"), DEFAULTS),
          arguments(List.of("md5=1", "sha=2;"), DEFAULTS));
    }

    @ParameterizedTest(name = "want {0} with every S3 checksum available sends {1}")
    @MethodSource("preferences")
    void weightsChooseOneDigest(List<String> want, String keys) {
      assertThat(field(ALL, want)).isEqualTo(expected(keys));
      assertThat(field(ALL, null, want)).isEqualTo(expected(keys));
    }

    @ParameterizedTest(name = "want {0} with only {1} available sends {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "sha-512=10, sha-256=1   | sha256        | sha-256",
          "sha-512=10, sha-256=1   | sha256 md5    | sha-256",
          "sha-512=10, md5=1       | sha256 md5    | md5",
          "sha-512=10              | sha256 md5    | none",
          "sha-512=10, sha-256=0   | sha256        | none",
          "md5=1                   | sha256 sha512 | none",
          "sha=1, md5=2            | sha1          | sha",
          "crc32c=1                | crc32 crc32c  | crc32c",
          "crc32c=1                | crc32         | none",
          "sha-256=5, sha-512=5    | sha256        | sha-256",
        })
    void onlyAvailableDigestsAreChosen(String want, String available, String keys) {
      Map<String, String> checksums = new HashMap<>();
      for (String name : available.split(" ")) {
        checksums.put(name, ALL.get(name));
      }
      assertThat(field(checksums, List.of(want))).isEqualTo(expected(keys));
    }

    static Stream<Arguments> invalid() {
      return Stream.of(
          arguments("SHA-256=10"),
          arguments("sha-256=10, MD5=1"),
          arguments("Sha-256=10"),
          arguments("md5=1, sha-256=10,"),
          arguments(",md5=1"),
          arguments(", md5=1"),
          arguments("md5=1,,sha=1"),
          arguments("md5=1, , sha=1"),
          arguments(","),
          arguments("md5="),
          arguments("md5==1"),
          arguments("=1"),
          arguments("md5=1 sha=1"),
          arguments("md5=1;"),
          arguments("md5=1;Q=1"),
          arguments("md5=1; ;q=1"),
          arguments("md5=1;q="),
          arguments("md5=1 ;q=1"),
          arguments("md5=1\t;q=1"),
          arguments("md5=1\t,\t\tsha=2;\tq"),
          arguments("1md5=1"),
          arguments("-md5=1"),
          arguments("_md5=1"),
          arguments("md5!=1"),
          arguments("md5 =1"),
          arguments("md5= 1"),
          arguments("md5=+1"),
          arguments("md5=-"),
          arguments("md5=1a"),
          arguments("md5=0x1"),
          arguments("md5=1e3"),
          arguments("md5=1.5.5"),
          arguments("md5=1."),
          arguments("md5=1.2345"),
          arguments("md5=1234567890123.1"),
          arguments("md5=1234567890123456"),
          arguments("md5=-1234567890123456"),
          arguments("md5=.5"),
          arguments("md5=\"unterminated"),
          arguments("md5=\"bad \\escape\""),
          arguments("md5=\"tab\tinside\""),
          arguments("md5=\"x\"y"),
          arguments("md5=:not base64!:"),
          arguments("md5=:AAAA"),
          arguments("md5=:A:"),
          arguments("md5=:=AAA:"),
          arguments("md5=?"),
          arguments("md5=?2"),
          arguments("md5=?true"),
          arguments("md5=@"),
          arguments("md5=@1.5"),
          arguments("md5=@x"),
          arguments("md5=%\"unterminated"),
          arguments("md5=%\"%ZZ\""),
          arguments("md5=%\"%C3%A9\""),
          arguments("md5=%\"%c3\""),
          arguments("md5=%\"%c\""),
          arguments("md5=%x"),
          arguments("md5=(1"),
          arguments("md5=(1,2)"),
          arguments("md5=(1)2"),
          arguments("md5=((1))"),
          arguments("md5=(1\t2)"),
          arguments("md5=1, sha=1 md5"),
          arguments("md5=$"),
          arguments("md5=1\u00e9"),
          arguments("m\u00e9=1"),
          arguments("md5=1\u0000"),
          arguments("md5=1\r\n"),
          arguments("md5=1, (sha=1)"));
    }

    @ParameterizedTest(name = "want [{0}] is not a Dictionary: treated as absent")
    @MethodSource("invalid")
    void invalidFieldIsIgnoredAsAWhole(String want) {
      assertThat(ReprDigests.parseWant(List.of(want))).isEqualTo(Want.NONE_SENT);
      assertThat(field(ALL, List.of(want))).isEqualTo(expected(DEFAULTS));
      assertThat(field(Map.of("md5", MD5, "sha1", SHA1), List.of(want))).isEmpty();
    }

    @ParameterizedTest(name = "want {0} is absent or empty: the active digests are sent")
    @MethodSource("absent")
    void absentOrEmptyFieldSendsTheActiveDigests(List<String> want) {
      assertThat(ReprDigests.parseWant(want)).isEqualTo(Want.NONE_SENT);
      assertThat(field(ALL, want)).isEqualTo(expected(DEFAULTS));
    }

    static Stream<Arguments> absent() {
      return Stream.of(
          arguments(List.of()),
          arguments(List.of("")),
          arguments(List.of(" ")),
          arguments(List.of("\t \t")),
          arguments(Arrays.asList((String) null)));
    }

    @Test
    @DisplayName("a null field line counts as an empty one, which breaks the combination")
    void nullLineIsAnEmptyLine() {
      assertThat(ReprDigests.parseWant(Arrays.asList("md5=1", null))).isEqualTo(Want.NONE_SENT);
    }
  }

  @Nested
  @DisplayName("Want values")
  class WantValues {

    @ParameterizedTest(name = "{0} parses to {1}")
    @MethodSource("parsed")
    void parsesIntegerMembersOnly(List<String> lines, Map<String, Integer> weights) {
      Want want = ReprDigests.parseWant(lines);
      assertThat(want).isEqualTo(Want.of(weights));
      assertThat(want.isSent()).isTrue();
      assertThat(want.weights()).isEqualTo(weights);
    }

    static Stream<Arguments> parsed() {
      return Stream.of(
          arguments(List.of("sha-256=5"), Map.of("sha-256", 5)),
          arguments(
              List.of("sha-256=5, md5=0, x=?1, sha=11, y=-1, z=1.0"),
              Map.of("sha-256", 5, "md5", 0)),
          arguments(List.of("a=1", "b=2;q=3", "a=4"), Map.of("a", 4, "b", 2)),
          arguments(List.of("a=10, a"), Map.of()),
          arguments(List.of("sha-256=?1"), Map.of()),
          arguments(List.of("*=3, unixsum=10"), Map.of("*", 3, "unixsum", 10)));
    }

    @ParameterizedTest(name = "{0} accepts some digest: {1}")
    @MethodSource("accepting")
    void acceptsAnyUnlessEveryWeightIsZero(List<String> lines, boolean acceptsAny) {
      assertThat(ReprDigests.parseWant(lines).acceptsAny()).isEqualTo(acceptsAny);
    }

    static Stream<Arguments> accepting() {
      return Stream.of(
          arguments(List.of(), true),
          arguments(List.of("not a dictionary ("), true),
          arguments(List.of("sha-256=1"), true),
          arguments(List.of("sha-256=0, unixsum=1"), true),
          arguments(List.of("sha-256=0"), false),
          arguments(List.of("sha-256=0, sha-512=0"), false),
          arguments(List.of("sha-256=?1"), false),
          arguments(List.of("sha-256=0", "sha-512=10"), true));
    }

    @Test
    @DisplayName("NONE_SENT is not sent and has no weights")
    void noneSent() {
      assertThat(Want.NONE_SENT.isSent()).isFalse();
      assertThat(Want.NONE_SENT.weights()).isEmpty();
      assertThat(Want.NONE_SENT).isNotEqualTo(Want.of(Map.of()));
      assertThat(Want.NONE_SENT.toString()).isEqualTo("Want[none sent]");
    }

    @Test
    @DisplayName("a preference that was sent but holds nothing usable sends nothing")
    void sentButEmpty() {
      assertThat(Want.of(Map.of()).isSent()).isTrue();
      assertThat(ReprDigests.fieldValue(ALL, null, Want.of(Map.of()))).isEmpty();
    }

    @Test
    @DisplayName("equal weights make equal preferences, whatever the order")
    void equality() {
      Map<String, Integer> ordered = new LinkedHashMap<>();
      ordered.put("md5", 1);
      ordered.put("sha", 2);
      assertThat(Want.of(ordered))
          .isEqualTo(ReprDigests.parseWant(List.of("sha=2, md5=1")))
          .hasSameHashCodeAs(Want.of(Map.of("sha", 2, "md5", 1)));
      assertThat(Want.of(ordered).toString()).isEqualTo("Want{md5=1, sha=2}");
    }

    @ParameterizedTest(name = "Want.of rejects key {0} with weight {1}")
    @CsvSource({"SHA, 1", "1a, 1", "'', 1", "'a b', 1", "md5, 11", "md5, -1"})
    void ofRejectsWhatParsingCouldNotProduce(String key, int weight) {
      assertThatThrownBy(() -> Want.of(Map.of(key, weight)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("Want.of copies its argument")
    void ofCopies() {
      Map<String, Integer> weights = new HashMap<>(Map.of("md5", 1));
      Want want = Want.of(weights);
      weights.put("sha", 2);
      assertThat(want.weights()).isEqualTo(Map.of("md5", 1));
    }
  }
}
