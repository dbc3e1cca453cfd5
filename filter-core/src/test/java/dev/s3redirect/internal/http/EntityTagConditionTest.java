package dev.s3redirect.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagConditionTest {

  private static EntityTagCondition parse(String... lines) {
    return EntityTagCondition.parse(List.of(lines)).orElseThrow();
  }

  /** Reads {@code "a" W/"b"} as the list of tags it names. */
  private static List<EntityTag> tags(String text) {
    return Arrays.stream(text.split(" ")).map(tag -> EntityTag.parse(tag).orElseThrow()).toList();
  }

  /** An empty CSV cell is a representation without an entity-tag. */
  private static Optional<EntityTag> current(String tag) {
    return Optional.ofNullable(tag).map(value -> EntityTag.parse(value).orElseThrow());
  }

  @Nested
  @DisplayName("C11/C12: If-Match and If-None-Match syntax (RFC 9110 §13.1.1, §13.1.2)")
  class Syntax {

    @Test
    @DisplayName("C11/C12: an absent header is no condition")
    void absentHeaderIsNoCondition() {
      assertThat(EntityTagCondition.parse(List.of())).isEmpty();
      assertThat(EntityTagCondition.parse(null)).isEmpty();
    }

    @ParameterizedTest(name = "C11/C12: {0} is *")
    @ValueSource(strings = {"*", " * ", "\t*\t"})
    void starIsAny(String value) {
      assertThat(parse(value)).isEqualTo(new EntityTagCondition.Any());
    }

    @ParameterizedTest(name = "C11/C12: {0} is the list {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"a\"                          | \"a\"",
          "W/\"a\"                        | W/\"a\"",
          "\"a\",\"b\"                    | \"a\" \"b\"",
          "\"a\" , W/\"b\"                | \"a\" W/\"b\"",
          "\"a\",\t\"b\"\t,\"c\"          | \"a\" \"b\" \"c\"",
          "' , ,\"a\",,  ,\"b\", '        | \"a\" \"b\"",
          "\"a,b\"                        | \"a,b\"",
          "\"\"                           | \"\"",
          "\"a\",\"a\"                    | \"a\" \"a\"",
          "\"*\"                          | \"*\"",
        })
    void parsesListsWithOptionalWhitespaceAndEmptyElements(String value, String expected) {
      assertThat(parse(value)).isEqualTo(new EntityTagCondition.AnyOf(tags(expected)));
    }

    @ParameterizedTest(name = "C11/C12: {0} is malformed")
    @ValueSource(
        strings = {
          "",
          " ",
          ",",
          " , ,",
          "a",
          "\"a",
          "a\"",
          "\"a\" \"b\"",
          "\"a\";\"b\"",
          "\"a\"b",
          "*,\"a\"",
          "\"a\",*",
          "**",
          "W/ \"a\"",
          "w/\"a\"",
          "W/a",
          "\"a b\"",
          "\"a\u0000\"",
          "\"a\u20AC\"",
        })
    void anythingElseIsMalformed(String value) {
      assertThat(parse(value)).isEqualTo(new EntityTagCondition.Malformed(value.strip()));
    }

    @Test
    @DisplayName("C11/C12: several header lines form one list (RFC 9110 §5.3)")
    void severalLinesFormOneList() {
      assertThat(parse("\"a\"", "W/\"b\""))
          .isEqualTo(new EntityTagCondition.AnyOf(tags("\"a\" W/\"b\"")));
      assertThat(parse("\"a\", \"b\"", "\"c\""))
          .isEqualTo(new EntityTagCondition.AnyOf(tags("\"a\" \"b\" \"c\"")));
      assertThat(parse("\"a\"", "")).isEqualTo(new EntityTagCondition.AnyOf(tags("\"a\"")));
    }

    @Test
    @DisplayName("C11/C12: * on one line and a tag on another is malformed")
    void starCannotBeCombined() {
      assertThat(parse("*", "\"a\"")).isInstanceOf(EntityTagCondition.Malformed.class);
      assertThat(parse("*", "*")).isInstanceOf(EntityTagCondition.Malformed.class);
    }
  }

  @Nested
  @DisplayName("C11: If-Match uses the strong comparison (RFC 9110 §13.1.1)")
  class StrongComparison {

    @ParameterizedTest(name = "C11: If-Match {0} against {1}: {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"1\"              | \"1\"   | true",
          "\"2\"              | \"1\"   | false",
          "W/\"1\"            | \"1\"   | false",
          "\"1\"              | W/\"1\" | false",
          "W/\"1\"            | W/\"1\" | false",
          "\"2\", \"1\"       | \"1\"   | true",
          "W/\"1\", \"2\"     | \"1\"   | false",
          "\"a\"              | \"A\"   | false",
          "*                  | \"1\"   | true",
          "*                  | W/\"1\" | true",
          "*                  |         | true",
          "\"1\"              |         | false",
          "1                  | \"1\"   | false",
          "'\"1\" \"1\"'      | \"1\"   | false",
        })
    void matchesStrongly(String header, String tag, boolean expected) {
      assertThat(parse(header).matchesStrongly(current(tag))).isEqualTo(expected);
    }
  }

  @Nested
  @DisplayName("C12: If-None-Match uses the weak comparison (RFC 9110 §13.1.2)")
  class WeakComparison {

    @ParameterizedTest(name = "C12: If-None-Match {0} against {1}: a match is {2}")
    @CsvSource(
        delimiter = '|',
        value = {
          "\"1\"              | \"1\"   | true",
          "\"2\"              | \"1\"   | false",
          "W/\"1\"            | \"1\"   | true",
          "\"1\"              | W/\"1\" | true",
          "W/\"1\"            | W/\"1\" | true",
          "\"2\", W/\"1\"     | \"1\"   | true",
          "\"2\", \"3\"       | \"1\"   | false",
          "\"a\"              | \"A\"   | false",
          "*                  | \"1\"   | true",
          "*                  |         | true",
          "\"1\"              |         | false",
          "1                  | \"1\"   | false",
        })
    void matchesWeakly(String header, String tag, boolean expected) {
      assertThat(parse(header).matchesWeakly(current(tag))).isEqualTo(expected);
    }
  }
}
