package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class S3RedirectSettingsTest {

  @Test
  void defaultsAreSafeAndDocumented() {
    S3RedirectSettings settings = S3RedirectSettings.builder().allow("media").build();

    assertThat(settings.headerName()).isEqualTo("X-S3-Redirect");
    assertThat(settings.bufferSize()).isEqualTo(64 * 1024);
    assertThat(settings.firstByteTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.accessDeniedStatus()).isEqualTo(403);
    assertThat(settings.defaultCacheControlValue()).isEmpty();
    assertThat(settings.maxRanges()).isEqualTo(16);
  }

  @Test
  void nothingIsServedUntilSomethingIsAllowed() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> S3RedirectSettings.builder().build())
        .withMessageContaining("allowList");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "headerName", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.headerName("X Bad")),
        Arguments.of(
            "headerName", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.headerName("")),
        Arguments.of(
            "headerName", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.headerName("X:Bad")),
        Arguments.of(
            "bufferSize", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.bufferSize(1023)),
        Arguments.of(
            "bufferSize", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.bufferSize(-1)),
        Arguments.of(
            "bufferSize",
            (UnaryOperator<S3RedirectSettings.Builder>) b -> b.bufferSize(16 * 1024 * 1024 + 1)),
        Arguments.of(
            "firstByteTimeout",
            (UnaryOperator<S3RedirectSettings.Builder>) b -> b.firstByteTimeout(Duration.ZERO)),
        Arguments.of(
            "firstByteTimeout",
            (UnaryOperator<S3RedirectSettings.Builder>)
                b -> b.firstByteTimeout(Duration.ofSeconds(-1))),
        Arguments.of(
            "accessDeniedStatus",
            (UnaryOperator<S3RedirectSettings.Builder>) b -> b.accessDeniedStatus(500)),
        Arguments.of(
            "defaultCacheControl",
            (UnaryOperator<S3RedirectSettings.Builder>) b -> b.defaultCacheControl(" ")),
        Arguments.of(
            "defaultCacheControl",
            (UnaryOperator<S3RedirectSettings.Builder>)
                b -> b.defaultCacheControl("max-age=1\r\nX: y")),
        Arguments.of("maxRanges", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.maxRanges(0)),
        Arguments.of(
            "maxRanges", (UnaryOperator<S3RedirectSettings.Builder>) b -> b.maxRanges(1001)),
        Arguments.of(
            "allow-list entry",
            (UnaryOperator<S3RedirectSettings.Builder>) b -> b.allow("no such bucket")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidSettingsFailNamingTheSetting(
      String setting, UnaryOperator<S3RedirectSettings.Builder> change) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> change.apply(S3RedirectSettings.builder().allow("media")).build())
        .withMessageContaining(setting);
  }
}
