package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.S3RedirectListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class S3RedirectMetricsTest {
  private static final S3Location OBJECT = S3Location.of("media", "a.bin");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final S3RedirectMetrics metrics = new S3RedirectMetrics(registry);

  private static S3RedirectEvent event(Outcome outcome, int status, long bytes, long millis) {
    return new S3RedirectEvent(OBJECT, outcome, status, bytes, Duration.ofMillis(millis));
  }

  private double active() {
    return registry.get(S3RedirectMetrics.STREAMS_ACTIVE).gauge().value();
  }

  @Test
  void countsRequestsByOutcomeAndStatus() {
    metrics.onEvent(event(Outcome.SERVED, 200, 10, 5));
    metrics.onEvent(event(Outcome.SERVED, 200, 10, 5));
    metrics.onEvent(event(Outcome.SERVED, 206, 3, 5));
    metrics.onEvent(event(Outcome.RANGE_NOT_SATISFIABLE, 416, 0, 5));

    assertThat(
            registry
                .get(S3RedirectMetrics.REQUESTS)
                .tags("outcome", "served", "status", "200")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(S3RedirectMetrics.REQUESTS)
                .tags("outcome", "range_not_satisfiable", "status", "416")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(S3RedirectMetrics.REQUESTS).counters()).hasSize(3);
  }

  @Test
  void tagsNeverCarryTheBucketOrKey() {
    metrics.onEvent(event(Outcome.SERVED, 200, 10, 5));

    assertThat(registry.getMeters())
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags())
                    .allSatisfy(
                        tag ->
                            assertThat(tag.getKey() + tag.getValue())
                                .doesNotContain("media")
                                .doesNotContain("a.bin")));
  }

  @Test
  void summarisesBytesSentInBytes() {
    metrics.onEvent(event(Outcome.SERVED, 200, 1000, 5));
    metrics.onEvent(event(Outcome.CLIENT_ABORTED, 200, 24, 5));

    var summary = registry.get(S3RedirectMetrics.BYTES_SENT).summary();
    assertThat(summary.getId().getBaseUnit()).isEqualTo("bytes");
    assertThat(summary.count()).isEqualTo(2);
    assertThat(summary.totalAmount()).isEqualTo(1024);
  }

  @Test
  void countsClientAborts() {
    metrics.onEvent(event(Outcome.SERVED, 200, 1000, 5));
    metrics.onEvent(event(Outcome.CLIENT_ABORTED, 206, 24, 5));

    assertThat(registry.get(S3RedirectMetrics.CLIENT_ABORTS).counter().count()).isEqualTo(1);
  }

  @Test
  void timesTheFirstByteOnlyWhenS3WasAsked() {
    metrics.onEvent(event(Outcome.SERVED, 200, 1000, 40));
    metrics.onEvent(event(Outcome.NOT_FOUND, 404, 0, 20));
    metrics.onEvent(new S3RedirectEvent(OBJECT, Outcome.REFUSED, 403, 0, Duration.ZERO));
    metrics.onEvent(new S3RedirectEvent(null, Outcome.INVALID_HEADER, 500, 0, Duration.ZERO));

    var timer = registry.get(S3RedirectMetrics.TIME_TO_FIRST_BYTE).timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(60);
  }

  @Test
  void countsActiveStreamsFromTheirStartToTheirEvent() throws Exception {
    assertThat(active()).isZero();
    S3RedirectListener first = metrics.forExchange(OBJECT);
    first.onStreamStarted(OBJECT);
    assertThat(active()).isEqualTo(1);

    // Another exchange, on another thread, is counted apart; its end ends only its own stream.
    S3RedirectListener second = metrics.forExchange(OBJECT);
    CompletableFuture.runAsync(() -> second.onStreamStarted(OBJECT)).get();
    assertThat(active()).isEqualTo(2);
    CompletableFuture.runAsync(() -> second.onEvent(event(Outcome.SERVED, 200, 10, 5))).get();
    assertThat(active()).isEqualTo(1);

    // An answer without a body (HEAD, 304, errors) has no start and ends nothing.
    metrics.forExchange(OBJECT).onEvent(event(Outcome.NOT_MODIFIED, 304, 0, 5));
    assertThat(active()).isEqualTo(1);

    first.onEvent(event(Outcome.CLIENT_ABORTED, 200, 10, 5));
    assertThat(active()).isZero();
    assertThat(registry.get(S3RedirectMetrics.REQUESTS).counters())
        .extracting(c -> c.getId().getTag("outcome"))
        .contains("served", "not_modified", "client_aborted");
  }
}
