package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RatePacerTest {

  static final long SECOND = 1_000_000_000L;

  @ParameterizedTest(name = "[{0}] with default {1} -> {2}")
  @CsvSource(
      nullValues = "null",
      value = {
        "null, 0, 0",
        "null, 4096, 4096",
        "1024, 0, 1024",
        "1024, 4096, 1024",
        "' 2048 ', 0, 2048",
        "0, 4096, 0",
        "off, 4096, 0",
        "OFF, 4096, 0",
        "' Off ', 4096, 0",
        "000123, 0, 123",
        "999999999999999999, 0, 999999999999999999",
      })
  void theApplicationsValueWinsOverTheDefault(String header, long defaultRate, long expected) {
    assertThat(RatePacer.rate(header, defaultRate)).hasValue(expected);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      value = {
        "''",
        "' '",
        "-1",
        "+5",
        "1.5",
        "1k",
        "1 000",
        "0x10",
        "none",
        "1000000000000000000",
        "１２",
      })
  void aValueThatIsNotARateIsRefused(String header) {
    assertThat(RatePacer.rate(header, 4096)).isEqualTo(OptionalLong.empty());
  }

  @Test
  void aRateMustBePositive() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RatePacer(0, 1024, 0));
  }

  static Stream<Arguments> steps() {
    // rate, burst, wanted, then (time in ms, expected grant, expected wait in ns) per step
    return Stream.of(
        Arguments.of(
            "the burst goes at once, then a quantum after its time",
            1000L,
            2000L,
            4096,
            new long[][] {{0, 2000, 512_000_000}, {0, 0, 512_000_000}, {512, 512, 512_000_000}}),
        Arguments.of(
            "no burst: the first quantum waits for the rate",
            1_000_000L,
            0L,
            65536,
            new long[][] {{0, 0, 65_536_000}, {65, 0, 536_000}, {66, 65536, 65_072_000}}),
        Arguments.of(
            "a burst larger than the buffer is given a buffer at a time",
            1_000_000L,
            1_000_000L,
            65536,
            new long[][] {{0, 65536, 0}, {0, 65536, 0}}),
        Arguments.of(
            "a pause earns back no more than the burst or a quantum",
            1000L,
            600L,
            4096,
            new long[][] {{0, 600, 512_000_000}, {60_000, 600, 512_000_000}}),
        Arguments.of(
            "less than a quantum left to send is granted without waiting for a whole quantum",
            1_000_000L,
            0L,
            100,
            new long[][] {{0, 0, 100_000}, {1, 100, 0}}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void grantsAndWaits(String why, long rate, long burst, int wanted, long[][] steps) {
    RatePacer pacer = new RatePacer(rate, burst, 0);
    for (long[] step : steps) {
      long now = step[0] * 1_000_000L;
      assertThat(pacer.take(wanted, now)).as("granted at %d ms", step[0]).isEqualTo(step[1]);
      assertThat(pacer.waitNanos(wanted, now)).as("wait at %d ms", step[0]).isEqualTo(step[2]);
    }
  }

  static Stream<Arguments> rates() {
    return Stream.of(
        Arguments.of(1_000L, 0L, 1024),
        Arguments.of(1_000L, 65536L, 65536),
        Arguments.of(256 * 1024L, 64 * 1024L, 65536),
        Arguments.of(10_000_000L, 64 * 1024L, 65536),
        Arguments.of(3_333L, 1L, 8192));
  }

  /**
   * A writer that takes what it is granted and waits as told, on a simulated clock: after any time
   * t it has sent no more than the burst plus the rate times t, and no less than the rate allows
   * minus one quantum.
   */
  @ParameterizedTest(name = "{0} B/s, burst {1}, buffer {2}")
  @MethodSource("rates")
  void aWriterThatWaitsAsToldKeepsToTheRate(long rate, long burst, int buffer) {
    RatePacer pacer = new RatePacer(rate, burst, 0);
    long now = 0;
    long sent = 0;
    while (now < 20 * SECOND) {
      int granted = pacer.take(buffer, now);
      if (granted > 0) {
        sent += granted;
      } else {
        now += pacer.waitNanos(buffer, now);
      }
      double allowed = burst + (double) rate * now / SECOND;
      assertThat((double) sent).isLessThanOrEqualTo(allowed + 1);
    }
    double earned = (double) rate * now / SECOND;
    assertThat((double) sent).isGreaterThanOrEqualTo(earned - RatePacer.quantum(rate) - buffer);
  }

  @Test
  void bytesGrantedButNotSentAreGivenBackUpToTheBucketsSize() {
    RatePacer pacer = new RatePacer(1000, 2000, 0);

    assertThat(pacer.take(4096, 0)).isEqualTo(2000);
    pacer.giveBack(1500); // the body had only 500 bytes ready
    assertThat(pacer.take(4096, 0)).isEqualTo(1500);
    pacer.giveBack(0);
    pacer.giveBack(10_000);
    assertThat(pacer.take(4096, 0)).as("never more than the bucket holds").isEqualTo(2000);
  }
}
