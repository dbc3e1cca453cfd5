package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {

  @Test
  void parsesTheLineOfTheDoneHook() {
    String output =
        """
        Running 3s test @ http://127.0.0.1:1234/app/x
          2 threads and 16 connections
        BENCH requests=3000 bytes=3145728 duration_us=3000000 connect=0 read=1 write=0 status=2\
         timeout=0 p50_us=1500 p99_us=9000
        """;
    WrkResult r = WrkResult.parse(output);
    assertThat(r.requests()).isEqualTo(3000);
    assertThat(r.requestsPerSecond()).isEqualTo(1000.0);
    assertThat(r.mibPerSecond()).isEqualTo(1.0);
    assertThat(r.readErrors()).isEqualTo(1);
    assertThat(r.hardErrors()).isEqualTo(2);
    assertThat(r.p50Micros()).isEqualTo(1500);
    assertThat(r.p99Micros()).isEqualTo(9000);
  }

  @Test
  void failsWithoutTheLine() {
    assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:1 Connection refused"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no BENCH line");
  }
}
