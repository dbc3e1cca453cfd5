package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.summarize(List.of(3.0, 1.0, 2.0)))
        .isEqualTo(new Stats.Summary(2.0, 1.0, 3.0, 3));
    assertThat(Stats.summarize(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
  }

  @Test
  void ratiosAndDifferencesArePerRound() {
    assertThat(Stats.ratios(List.of(9.0, 4.0), List.of(10.0, 2.0))).containsExactly(0.9, 2.0);
    assertThat(Stats.differences(List.of(3.0, 5.0), List.of(1.0, 1.5))).containsExactly(2.0, 3.5);
    assertThatThrownBy(() -> Stats.ratios(List.of(1.0), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nearestRankPercentile() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    assertThat(Stats.percentile(values, 50)).isEqualTo(5.0);
    assertThat(Stats.percentile(values, 99)).isEqualTo(10.0);
    assertThat(Stats.percentile(values, 0)).isEqualTo(1.0);
  }
}
