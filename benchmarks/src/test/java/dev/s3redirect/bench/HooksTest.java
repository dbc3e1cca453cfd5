package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3RedirectSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The engine factory, the settings rows and the child's arguments. */
class HooksTest {

  @Test
  void engineNamesAreRowsAndAnUnknownOneIsRefusedByName() {
    assertThat(Engines.names()).containsExactly("lean", "sdk");
    assertThat(Target.filter("sdk").label()).isEqualTo("filter, SDK engine");
    assertThat(Target.filter("lean").label()).isEqualTo("filter, lean engine");
    Engines.StoreConfig config =
        new Engines.StoreConfig(
            URI.create("http://127.0.0.1:1"),
            Region.US_EAST_1,
            "a",
            "s",
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1));
    assertThatThrownBy(() -> Engines.create("nope", config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown engine 'nope': known engines are " + String.join(", ", Engines.names()));
  }

  @Test
  void rowsSetTheWriteModeAndAnUnknownRowIsRefused() {
    S3RedirectSettings defaults = SettingsRows.settings(SettingsRows.DEFAULTS, "bench", 8192);
    assertThat(defaults.bufferSize()).isEqualTo(8192);
    assertThat(defaults)
        .isEqualTo(S3RedirectSettings.builder().allow("bench").bufferSize(8192).build());
    assertThat(SettingsRows.settings(SettingsRows.BLOCKING, "bench", 8192).writeMode())
        .isEqualTo(S3RedirectSettings.WriteMode.BLOCKING);
    assertThat(SettingsRows.settings("non-blocking", "bench", 8192).writeMode())
        .isEqualTo(S3RedirectSettings.WriteMode.NON_BLOCKING);
    assertThat(SettingsRows.compared()).startsWith(SettingsRows.BLOCKING).contains("non-blocking");
    assertThat(SettingsRows.compared()).doesNotContain(SettingsRows.DEFAULTS);
    assertThatThrownBy(() -> SettingsRows.row("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown settings row 'fast'");
  }

  @Test
  void childArgumentsAreNameValuePairs() {
    assertThat(ChildApp.parse(new String[] {"kind=filter", "s3=http://h:1/?a=b"}))
        .containsEntry("kind", "filter")
        .containsEntry("s3", "http://h:1/?a=b");
    assertThatThrownBy(() -> ChildApp.parse(new String[] {"filter"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
