package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

class LeanS3TransportTest {

  private static LeanS3Transport.Settings settings(int receiveBufferSize) {
    return new LeanS3Transport.Settings(
        8,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        receiveBufferSize,
        Duration.ofSeconds(60));
  }

  @Test
  void theReceiveBufferIsTheSystemsUnlessConfigured() {
    assertThat(settings(0).socketConfig().getRcvBufSize()).isZero();
    assertThat(settings(256 * 1024).socketConfig().getRcvBufSize()).isEqualTo(256 * 1024);
  }

  @Test
  void socketsReadWithTheIdleReadTimeoutAndWithoutNagle() {
    assertThat(settings(0).socketConfig().getSoTimeout()).isEqualTo(Timeout.ofSeconds(30));
    assertThat(settings(0).socketConfig().isTcpNoDelay()).isTrue();
    assertThat(settings(0).connectionConfig().getConnectTimeout()).isEqualTo(Timeout.ofSeconds(2));
  }

  @Test
  @SuppressWarnings("deprecation") // RequestConfig#getConnectTimeout: the per-request connect limit
  void eachWaitBeforeTheHeadIsLimitedToWhatIsLeftOfTheFirstByteBudget() {
    RequestConfig plenty = settings(0).requestConfig(TimeUnit.SECONDS.toNanos(60));
    RequestConfig little = settings(0).requestConfig(TimeUnit.MILLISECONDS.toNanos(700));
    RequestConfig none = settings(0).requestConfig(-5);

    assertThat(plenty.getConnectionRequestTimeout()).isEqualTo(Timeout.ofSeconds(10));
    assertThat(plenty.getConnectTimeout()).isEqualTo(Timeout.ofSeconds(2));
    assertThat(plenty.getResponseTimeout()).isEqualTo(Timeout.ofSeconds(30));
    assertThat(little.getConnectionRequestTimeout()).isEqualTo(Timeout.ofMilliseconds(700));
    assertThat(little.getConnectTimeout()).isEqualTo(Timeout.ofMilliseconds(700));
    assertThat(little.getResponseTimeout()).isEqualTo(Timeout.ofMilliseconds(700));
    assertThat(none.getResponseTimeout()).isEqualTo(Timeout.ofMilliseconds(1));
    assertThat(plenty.isRedirectsEnabled()).isFalse();
    assertThat(plenty.isContentCompressionEnabled()).isFalse();
  }

  @Test
  void outOfRangeSettingsAreRejected() {
    assertThatThrownBy(
            () ->
                new LeanS3Transport.Settings(
                    0,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    0,
                    Duration.ofSeconds(1)))
        .hasMessageContaining("maxConnections");
    assertThatThrownBy(
            () ->
                new LeanS3Transport.Settings(
                    1,
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    0,
                    Duration.ofSeconds(1)))
        .hasMessageContaining("connectionAcquisitionTimeout");
    assertThatThrownBy(
            () ->
                new LeanS3Transport.Settings(
                    1,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(-1),
                    0,
                    Duration.ofSeconds(1)))
        .hasMessageContaining("idleReadTimeout");
    assertThatThrownBy(
            () ->
                new LeanS3Transport.Settings(
                    1,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    -1,
                    Duration.ofSeconds(1)))
        .hasMessageContaining("receiveBufferSize");
  }
}
