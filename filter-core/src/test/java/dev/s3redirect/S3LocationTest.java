package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {

  @Nested
  class RoundTrip {

    static Stream<Arguments> keys() {
      return Stream.of(
          Arguments.of("plain.txt", "s3://media/plain.txt"),
          Arguments.of("dir/sub/file.bin", "s3://media/dir/sub/file.bin"),
          Arguments.of("a b.txt", "s3://media/a%20b.txt"),
          Arguments.of("100%.txt", "s3://media/100%25.txt"),
          Arguments.of("a+b.txt", "s3://media/a%2Bb.txt"),
          Arguments.of("what?.txt", "s3://media/what%3F.txt"),
          Arguments.of("hash#tag", "s3://media/hash%23tag"),
          Arguments.of("double//slash", "s3://media/double//slash"),
          Arguments.of("/leading", "s3://media//leading"),
          Arguments.of("trailing/", "s3://media/trailing/"),
          Arguments.of("été/日本語.txt", "s3://media/%C3%A9t%C3%A9/%E6%97%A5%E6%9C%AC%E8%AA%9E.txt"),
          Arguments.of("emoji-😀", "s3://media/emoji-%F0%9F%98%80"),
          Arguments.of("a=b&c;d", "s3://media/a%3Db%26c%3Bd"),
          Arguments.of("..hidden/...", "s3://media/..hidden/..."),
          Arguments.of("tilde~under_dash-dot.", "s3://media/tilde~under_dash-dot."),
          Arguments.of("%2F", "s3://media/%252F"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void headerValueEncodesTheKeyOnceAndParsesBackToIt(String key, String headerValue) {
      S3Location location = S3Location.of("media", key);

      assertThat(location.toHeaderValue()).isEqualTo(headerValue);
      assertThat(S3Location.parse(headerValue)).isEqualTo(location);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void versionIdRoundTripsAlongsideAnyKey(String key, String ignored) {
      S3Location location = S3Location.of("media", key).withVersionId("3/L4kqtJl+cQ=?&v");

      assertThat(location.toHeaderValue()).endsWith("?versionId=3%2FL4kqtJl%2BcQ%3D%3F%26v");
      assertThat(S3Location.parse(location.toHeaderValue())).isEqualTo(location);
      assertThat(S3Location.parse(location.toHeaderValue()).version()).hasValue("3/L4kqtJl+cQ=?&v");
    }
  }

  @Nested
  class Parsing {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "s3://media/a.txt            | media | a.txt      |",
          "S3://media/a.txt            | media | a.txt      |",
          "media/a.txt                 | media | a.txt      |",
          "'  s3://media/a.txt  '      | media | a.txt      |",
          "s3://media/a%20b            | media | a b        |",
          "s3://media/a+b              | media | a+b        |",
          "s3://media/é                | media | é          |",
          "s3://media/%c3%a9           | media | é          |",
          "s3://media/k?versionId=v1   | media | k          | v1",
          "media/k?versionId=a%2Bb     | media | k          | a+b",
          "s3://my.bucket-1/x          | my.bucket-1 | x    |",
        })
    void acceptsTheCanonicalAndShortForms(String value, String bucket, String key, String version) {
      assertThat(S3Location.parse(value)).isEqualTo(new S3Location(bucket, key, version));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "",
          "s3://",
          "s3://media",
          "s3://media/",
          "media",
          "/key-without-bucket",
          "http://media/a",
          "s3://bad bucket/a",
          "s3://-bad/a",
          "s3://media/a%",
          "s3://media/a%2",
          "s3://media/a%zz",
          "s3://media/%C3%28",
          "s3://media/a#b",
          "s3://media/a?acl",
          "s3://media/a?versionId",
          "s3://media/a?versionId=",
          "s3://media/a?versionId=1&versionId=2",
          "s3://media/a?versionId=1&x=2",
          "s3://media/../secret",
          "s3://media/a/./b",
          "s3://media/a/..",
          "s3://media/%2E%2E/secret",
          "s3://media/a%0D%0ASet-Cookie:x",
          "s3://media/a\tb",
          "s3://media/a?versionId=%0A",
        })
    void rejectsMalformedValuesWithAReason(String value) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> S3Location.parse(value))
          .withMessageNotContaining(value.isEmpty() ? "\u0000" : value);
    }

    @Test
    void rejectsKeysLongerThanS3Allows() {
      assertThat(S3Location.of("media", "k".repeat(1024)).key()).hasSize(1024);
      assertThatIllegalArgumentException()
          .isThrownBy(() -> S3Location.of("media", "k".repeat(1025)));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> S3Location.of("media", "é".repeat(513)));
    }

    @Test
    void toStringIsTheEncodedHeaderValueSafeForLogs() {
      assertThat(S3Location.of("media", "é\u2028x").toString())
          .isEqualTo("s3://media/%C3%A9%E2%80%A8x");
    }
  }
}
