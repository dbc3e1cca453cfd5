package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void tableShowsPerRoundRatiosAndVerdictsWithMargins() {
    Results results = new Results();
    double[][] large = {{1000, 950, 800}, {1000, 850, 900}};
    for (double[] round : large) {
      results.add(Metric.LARGE_1, Target.DIRECT, round[0]);
      results.add(Metric.LARGE_1, Target.FILTER, round[1]);
      results.add(Metric.LARGE_1, Target.NGINX, round[2]);
    }
    results.add(Metric.TTFB_P50, Target.DIRECT, 1.0);
    results.add(Metric.TTFB_P50, Target.FILTER, 2.5);
    List<Report.S3Count> counts =
        List.of(
            new Report.S3Count(Target.FILTER, "full GET", 10, 10, 200),
            new Report.S3Count(Target.FILTER, "conditional", 10, 20, 304));

    String md =
        Report.render(
            Map.of("mode", "quick"),
            List.of("method"),
            results,
            List.of(Target.DIRECT, Target.FILTER, Target.NGINX),
            counts,
            List.of(),
            null);

    assertThat(md)
        .contains(
            "| large object, 1 download | filter (Jetty 12) | 900 MiB/s | 850–950 | 0.900 (0.850–0.950) |")
        .contains("| large object, 1 download | direct S3 | 1000 MiB/s | 1000–1000 | 1 |");
    List<Report.Verdict> verdicts = Report.verdicts(results, counts);
    assertThat(verdicts)
        .extracting(Report.Verdict::met)
        .containsExactly(true, true, false, true, false);
    assertThat(verdicts.get(2).margin()).isEqualTo("over by 0.500 ms");
    assertThat(verdicts.get(4).margin()).isEqualTo("off by 10 S3 requests");
  }

  @Test
  void formatsBySize() {
    assertThat(Report.fmt(1234.5)).isEqualTo("1235");
    assertThat(Report.fmt(12.345)).isEqualTo("12.3");
    assertThat(Report.fmt(1.2345)).isEqualTo("1.23");
    assertThat(Report.fmt(0.12345)).isEqualTo("0.123");
  }
}
