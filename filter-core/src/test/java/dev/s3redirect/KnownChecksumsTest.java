package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.store.ObjectMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnownChecksumsTest {

  private static final S3Location A = S3Location.of("bucket", "a");
  private static final S3Location B = S3Location.of("bucket", "b");
  private static final S3Location C = S3Location.of("bucket", "c");

  private static ObjectMetadata object(String eTag, Map<String, String> checksums) {
    return new ObjectMetadata(
        11,
        eTag,
        null,
        "text/plain",
        null,
        "attachment",
        null,
        "max-age=60",
        null,
        checksums,
        "FULL_OBJECT");
  }

  @Test
  void answersForTheObjectAndEntityTagItLearned() {
    var known = new KnownChecksums(8);
    known.learn(A, object("\"1\"", Map.of("SHA256", "x")));

    assertThat(known.knows(A)).isTrue();
    assertThat(known.knows(B)).isFalse();
    assertThat(known.of(A, "\"1\""))
        .hasValueSatisfying(o -> assertThat(o.checksums()).containsEntry("SHA256", "x"));
    assertThat(known.of(B, "\"1\"")).isEmpty();
    assertThat(known.of(A.withVersionId("v1"), "\"1\"")).isEmpty();
    assertThat(known.knows(A)).isTrue();
  }

  @Test
  void forgetsAnObjectFoundWithAnotherEntityTag() {
    var known = new KnownChecksums(8);
    known.learn(A, object("\"1\"", Map.of("SHA256", "x")));

    assertThat(known.of(A, "\"2\"")).isEmpty();

    assertThat(known.knows(A)).isFalse();
    assertThat(known.of(A, "\"1\"")).isEmpty();
  }

  @Test
  void anAnswerWithoutAnEntityTagMatchesNothing() {
    var known = new KnownChecksums(8);
    known.learn(A, object("\"1\"", Map.of("SHA256", "x")));

    assertThat(known.of(A, null)).isEmpty();
    assertThat(known.knows(A)).isFalse();
  }

  @Test
  void remembersThatAnObjectHasNoChecksums() {
    var known = new KnownChecksums(8);
    known.learn(A, object("\"1\"", Map.of()));

    assertThat(known.of(A, "\"1\"")).hasValueSatisfying(o -> assertThat(o.checksums()).isEmpty());
  }

  @Test
  void keepsTheChecksumsAndTheirTypeButNotTheRestOfTheMetadata() {
    var known = new KnownChecksums(8);
    known.learn(A, object("\"1\"", Map.of("SHA256", "x")));

    ObjectMetadata kept = known.of(A, "\"1\"").orElseThrow();
    assertThat(kept.checksumType()).isEqualTo("FULL_OBJECT");
    assertThat(kept.contentType()).isNull();
    assertThat(kept.contentDisposition()).isNull();
    assertThat(kept.cacheControl()).isNull();
  }

  @Test
  void aNewerVersionReplacesTheOlder() {
    var known = new KnownChecksums(8);
    known.learn(A, object("\"1\"", Map.of("SHA256", "x")));
    known.learn(A, object("\"2\"", Map.of("SHA256", "y")));

    assertThat(known.of(A, "\"2\""))
        .hasValueSatisfying(o -> assertThat(o.checksums()).containsEntry("SHA256", "y"));
    assertThat(known.of(A, "\"1\"")).isEmpty();
  }

  @Test
  void ignoresAnAnswerWithoutAnEntityTag() {
    var known = new KnownChecksums(8);
    known.learn(A, object(null, Map.of("SHA256", "x")));

    assertThat(known.knows(A)).isFalse();
  }

  @Test
  void forgetsTheLeastRecentlyUsedBeyondItsCapacity() {
    var known = new KnownChecksums(2);
    known.learn(A, object("\"1\"", Map.of()));
    known.learn(B, object("\"1\"", Map.of()));
    assertThat(known.of(A, "\"1\"")).isPresent(); // A is now the most recently used

    known.learn(C, object("\"1\"", Map.of()));

    assertThat(known.of(A, "\"1\"")).isPresent();
    assertThat(known.of(B, "\"1\"")).isEmpty();
    assertThat(known.of(C, "\"1\"")).isPresent();
  }
}
