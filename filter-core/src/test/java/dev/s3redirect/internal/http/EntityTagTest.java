package dev.s3redirect.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {

  private static EntityTag tag(String value) {
    return EntityTag.parse(value).orElseThrow();
  }

  @Nested
  @DisplayName("C21: entity-tag syntax (RFC 9110 §8.8.3)")
  class Syntax {

    @ParameterizedTest(name = "C21: {0} is the opaque tag {1}, weak {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"abc\"               | \"abc\"              | false",
          "W/\"abc\"             | \"abc\"              | true",
          "\"\"                  | \"\"                 | false",
          "W/\"\"                | \"\"                 | true",
          "\"d41d8cd98f00b204-2\" | \"d41d8cd98f00b204-2\" | false",
          "\"!#$%&()*+,-./:;<=>?@[\\]^_`{}~\" | \"!#$%&()*+,-./:;<=>?@[\\]^_`{}~\" | false",
          "\"W/x\"               | \"W/x\"              | false",
          "\"caf\u00e9\u00ff\"   | \"caf\u00e9\u00ff\"  | false",
        })
    void parsesValidTags(String value, String opaqueTag, boolean weak) {
      assertThat(EntityTag.parse(value)).contains(new EntityTag(opaqueTag, weak));
    }

    @ParameterizedTest(name = "C21: {0} is not an entity-tag")
    @NullSource
    @ValueSource(
        strings = {
          "",
          "abc",
          "\"abc",
          "abc\"",
          "\"",
          "W/",
          "W/abc",
          "w/\"abc\"",
          "W/ \"abc\"",
          "W\\\"abc\"",
          " \"abc\"",
          "\"abc\" ",
          "\"abc\"x",
          "\"a\"b\"",
          "\"a b\"",
          "\"a\tb\"",
          "\"a\u0001b\"",
          "\"a\u007Fb\"",
          "\"a\u20ACb\"",
          "\"a\", \"b\"",
          "*",
        })
    void rejectsAnythingElse(String value) {
      assertThat(EntityTag.parse(value)).isEmpty();
    }

    @ParameterizedTest(name = "C21: {0} is written back as {0}")
    @ValueSource(strings = {"\"abc\"", "W/\"abc\"", "\"\"", "W/\"\""})
    void writesTheHeaderFormBack(String value) {
      assertThat(tag(value).toString()).isEqualTo(value);
    }

    @Test
    @DisplayName("C21: strong() quotes the value and is never weak")
    void strongQuotes() {
      assertThat(EntityTag.strong("abc")).isEqualTo(new EntityTag("\"abc\"", false));
      assertThat(EntityTag.strong("abc").toString()).isEqualTo("\"abc\"");
    }

    @ParameterizedTest(name = "C21: strong({0}) is a programming error")
    @ValueSource(strings = {"a\"b", "a b", "a\r\nb", "\u20AC"})
    void strongRejectsCharactersOutsideEtagc(String unquoted) {
      assertThatThrownBy(() -> EntityTag.strong(unquoted))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "C21: new EntityTag({0}) is a programming error")
    @ValueSource(strings = {"abc", "\"abc", "W/\"abc\"", "\"a\"\"", ""})
    void constructorRequiresAnOpaqueTag(String opaqueTag) {
      assertThatThrownBy(() -> new EntityTag(opaqueTag, false))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("C11/C12/C15: comparison (RFC 9110 §8.8.3.2)")
  class Comparison {

    /** The table of RFC 9110 §8.8.3.2, and a few more rows. */
    @ParameterizedTest(name = "C11/C12/C15: {0} vs {1}: strong {2}, weak {3}")
    @CsvSource({
      "W/\"1\", W/\"1\", false, true",
      "W/\"1\", W/\"2\", false, false",
      "W/\"1\", \"1\",   false, true",
      "\"1\",   \"1\",   true,  true",
      "\"1\",   \"2\",   false, false",
      "\"a\",   \"A\",   false, false",
      "\"\",    \"\",    true,  true",
      "\"\",    W/\"\",  false, true",
    })
    void comparesStronglyAndWeakly(String a, String b, boolean strong, boolean weak) {
      EntityTag left = tag(a);
      EntityTag right = tag(b);

      assertThat(left.strongMatch(right)).isEqualTo(strong);
      assertThat(right.strongMatch(left)).isEqualTo(strong);
      assertThat(left.weakMatch(right)).isEqualTo(weak);
      assertThat(right.weakMatch(left)).isEqualTo(weak);
    }
  }
}
