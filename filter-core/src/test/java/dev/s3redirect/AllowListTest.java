package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AllowListTest {

  @ParameterizedTest(name = "{0} admits {1}/{2}: {3}")
  @CsvSource({
    "media,              media,   any/key.bin,      true",
    "media,              other,   any/key.bin,      false",
    "media,              media2,  k,                false",
    "media/,             media,   k,                true",
    "s3://media,         media,   k,                true",
    "media/public/,      media,   public/a.png,     true",
    "media/public/,      media,   public/deep/a,    true",
    "media/public/,      media,   public,           false",
    "media/public/,      media,   private/a.png,    false",
    "media/public/,      media,   publicity/a.png,  false",
    "media/public,       media,   public-old/x,     true",
    "media/Public/,      media,   public/a.png,     false",
    "media/été/,         media,   été/x,            true",
  })
  void admitsKeysByBucketAndPrefix(String entry, String bucket, String key, boolean admitted) {
    assertThat(AllowList.of(entry).permits(S3Location.of(bucket, key))).isEqualTo(admitted);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"", " ", "/prefix", "bad bucket", "bad_bucket!", "-media", "s3://"})
  void rejectsMalformedEntriesNamingThem(String entry) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AllowList.of(entry))
        .withMessageContaining("'" + entry + "'");
  }

  @ParameterizedTest(name = "{0}/{1}: {2}")
  @CsvSource({
    "media, a/b,   true",
    "media, c,     true",
    "media, d/e/f, true",
    "media, z,     false",
    "media, b/a,   false",
    "other, z,     true",
    "third, a/b,   false",
  })
  void anyEntryIsEnough(String bucket, String key, boolean admitted) {
    AllowList list = AllowList.of("media/a/", "other", "media/c", "media/d/");

    assertThat(list.permits(S3Location.of(bucket, key))).isEqualTo(admitted);
  }

  @org.junit.jupiter.api.Test
  void anEmptyListAdmitsNothing() {
    assertThat(AllowList.of().permits(S3Location.of("media", "k"))).isFalse();
    assertThat(AllowList.of().isEmpty()).isTrue();
  }
}
