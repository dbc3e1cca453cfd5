package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.S3RedirectSettings.WriteMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Filter settings by row name: the one hook through which a workload's rows differ in how the
 * filter is configured (the slow-clients workload measures every row). The filter application
 * ({@link ChildApp}) applies the row's hook to a builder that already has the allow-list and buffer
 * size.
 *
 * <p>To add a row (a write mode, a stall timeout), add one {@code put} to {@link #hooks()}.
 */
final class SettingsRows {

  private SettingsRows() {}

  /** The filter as shipped: no setting changed. */
  static final String DEFAULTS = "defaults";

  /** Blocking writes: the reference row of the slow-clients workload. */
  static final String BLOCKING = "blocking";

  private static final Map<String, Row> ROWS = hooks();

  /** A row: its label in the report and what it changes in the settings. */
  record Row(String name, String label, Consumer<S3RedirectSettings.Builder> hook) {}

  private static Map<String, Row> hooks() {
    Map<String, Row> m = new LinkedHashMap<>();
    put(m, DEFAULTS, "the filter's defaults (" + describe(b -> {}) + ")", b -> {});
    put(m, BLOCKING, "blocking writes", b -> b.writeMode(WriteMode.BLOCKING));
    put(
        m,
        "non-blocking",
        "non-blocking writes, stall timeout "
            + S3RedirectSettings.DEFAULT_STALL_TIMEOUT.toSeconds()
            + " s",
        b ->
            b.writeMode(WriteMode.NON_BLOCKING)
                .stallTimeout(S3RedirectSettings.DEFAULT_STALL_TIMEOUT));
    return m;
  }

  private static void put(
      Map<String, Row> m, String name, String label, Consumer<S3RedirectSettings.Builder> hook) {
    m.put(name, new Row(name, label, hook));
  }

  /** The rows, in table order. */
  static List<String> names() {
    return List.copyOf(ROWS.keySet());
  }

  /** The rows the slow-clients workload compares: all but the defaults, blocking writes first. */
  static List<String> compared() {
    return names().stream().filter(n -> !n.equals(DEFAULTS)).toList();
  }

  private static String describe(Consumer<S3RedirectSettings.Builder> hook) {
    S3RedirectSettings.Builder b = S3RedirectSettings.builder().allow("bucket");
    hook.accept(b);
    S3RedirectSettings s = b.build();
    return s.writeMode() == WriteMode.NON_BLOCKING
        ? "non-blocking writes, stall timeout " + s.stallTimeout().toSeconds() + " s"
        : "blocking writes";
  }

  /**
   * The row called {@code name}.
   *
   * @throws IllegalArgumentException for a name no row has
   */
  static Row row(String name) {
    Row row = ROWS.get(name);
    if (row == null) {
      throw new IllegalArgumentException(
          "unknown settings row '" + name + "': known rows are " + String.join(", ", names()));
    }
    return row;
  }

  /** Settings for {@code bucket} with {@code bufferSize}, then the row's hook applied. */
  static S3RedirectSettings settings(String name, String bucket, int bufferSize) {
    S3RedirectSettings.Builder b =
        S3RedirectSettings.builder().allow(bucket).bufferSize(bufferSize);
    row(name).hook().accept(b);
    return b.build();
  }
}
