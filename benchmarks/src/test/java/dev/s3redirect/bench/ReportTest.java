package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private final Target direct = Target.direct();
  private final Target filter = Target.filter("sdk");
  private final Target nginx = Target.nginx();

  @Test
  void tableShowsPerRoundRatiosToNginxAndToDirectS3() {
    Results results = new Results();
    double[][] large = {{1000, 950, 800}, {1000, 850, 900}};
    for (double[] round : large) {
      results.add(Metric.LARGE_1, direct, round[0]);
      results.add(Metric.LARGE_1, filter, round[1]);
      results.add(Metric.LARGE_1, nginx, round[2]);
    }

    String md =
        Report.render(
            Map.of("mode", "quick"),
            List.of("method"),
            results,
            List.of(direct, filter, nginx),
            List.of(new Report.S3Count(filter, "full GET", 10, 10, 200)),
            List.of(),
            null,
            List.of());

    assertThat(md)
        .contains(
            "| large object, 1 download | filter, SDK engine | 900 MiB/s | 850–950 |"
                + " 1.07 (0.944–1.19) | 0.900 (0.850–0.950) |")
        .contains("| large object, 1 download | direct S3 | 1000 MiB/s | 1000–1000 | 1.18")
        .contains("| filter, SDK engine | full GET | 10 | 200 | 10 | 1.00 |");
  }

  @Test
  void verdictsOfIssue12AreRatiosToNginxWithTheirMargins() {
    Results results = new Results();
    for (double[] round : new double[][] {{1000, 1100, 900}, {1000, 1300, 1000}}) {
      results.add(Metric.SMALL16_RPS, direct, round[0]);
      results.add(Metric.SMALL16_RPS, filter, round[1]);
      results.add(Metric.SMALL16_RPS, nginx, round[2]);
    }
    for (double[] round : new double[][] {{5, 20, 10}, {5, 30, 10}}) {
      results.add(Metric.SMALL16_P99, direct, round[0]);
      results.add(Metric.SMALL16_P99, filter, round[1]);
      results.add(Metric.SMALL16_P99, nginx, round[2]);
    }

    List<Report.Verdict> verdicts = Report.verdicts(results, List.of(direct, filter, nginx));

    // 1100/900 = 1.222 and 1300/1000 = 1.3: median 1.261 ≥ 1.2
    Report.Verdict rps = verdicts.get(0);
    assertThat(rps.target()).isEqualTo("4 KiB object, 16 connections ≥ 1.20× nginx");
    assertThat(rps.met()).isTrue();
    assertThat(rps.margin()).isEqualTo("0.061 above (5 %)");
    // p99 2.0 and 3.0: median 2.5 > 1.5
    Report.Verdict p99 = verdicts.get(1);
    assertThat(p99.target()).isEqualTo("4 KiB object, 16 connections, latency p99 ≤ 1.50× nginx's");
    assertThat(p99.met()).isFalse();
    assertThat(p99.margin()).isEqualTo("over by 1.00 (67 %)");
    // unmeasured workloads are said so, not dropped
    assertThat(verdicts).hasSize(Report.TARGETS.size());
    assertThat(verdicts.get(2).met()).isNull();
  }

  @Test
  void aRatioAgainstZeroIsADash() {
    Results results = new Results();
    results.add(Metric.SMALL16_CPU_PATH, direct, 0.0);
    results.add(Metric.SMALL16_CPU_PATH, filter, 0.2);
    String md =
        Report.render(
            Map.of(),
            List.of(),
            results,
            List.of(direct, filter),
            List.of(),
            List.of(),
            null,
            List.of());
    assertThat(md).contains("| 0.200 ms | 0.200–0.200 | — | — |");
  }

  @Test
  void formatsBySize() {
    assertThat(Report.fmt(1234.5)).isEqualTo("1235");
    assertThat(Report.fmt(12.345)).isEqualTo("12.3");
    assertThat(Report.fmt(1.2345)).isEqualTo("1.23");
    assertThat(Report.fmt(0.12345)).isEqualTo("0.123");
  }
}
