package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemCpuTest {

  @Test
  void userPlusSystemTicksEvenWhenTheCommandHoldsSpacesAndParentheses(@TempDir Path dir)
      throws Exception {
    Path stat = dir.resolve("stat");
    Files.writeString(
        stat,
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 30 0 1 2 3\n");
    assertThat(SystemCpu.processTicks(stat)).isEqualTo(1750);
    assertThat(SystemCpu.processTicks(dir.resolve("missing"))).isEqualTo(-1);
  }
}
