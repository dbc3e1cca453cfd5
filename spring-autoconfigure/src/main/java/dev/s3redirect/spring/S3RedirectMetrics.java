package dev.s3redirect.spring;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.S3RedirectListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what the filter does as Micrometer meters.
 *
 * <ul>
 *   <li>{@value #REQUESTS} (counter): redirected responses, tagged {@code outcome} (the {@link
 *       Outcome} in lower case, for example {@code served}, {@code client_aborted}) and {@code
 *       status} (the status sent).
 *   <li>{@value #BYTES_SENT} (distribution summary, bytes): body bytes sent per response.
 *   <li>{@value #CLIENT_ABORTS} (counter): downloads the client abandoned.
 *   <li>{@value #STREAMS_ACTIVE} (gauge): object bodies being sent right now.
 *   <li>{@value #TIME_TO_FIRST_BYTE} (timer): from the filter taking over to S3's answer, for
 *       responses that asked S3.
 * </ul>
 *
 * <p>Tags never carry a bucket, a key or anything else the application controls, so their
 * cardinality stays bounded.
 */
public final class S3RedirectMetrics implements S3RedirectListener {

  /** Name of the counter of redirected responses. */
  public static final String REQUESTS = "s3.redirect.requests";

  /** Name of the summary of body bytes sent per response. */
  public static final String BYTES_SENT = "s3.redirect.bytes.sent";

  /** Name of the counter of downloads the client abandoned. */
  public static final String CLIENT_ABORTS = "s3.redirect.client.aborts";

  /** Name of the gauge of object bodies being sent. */
  public static final String STREAMS_ACTIVE = "s3.redirect.streams.active";

  /** Name of the timer of the wait for S3's answer. */
  public static final String TIME_TO_FIRST_BYTE = "s3.redirect.time.to.first.byte";

  /** Outcomes decided without asking S3: they have no time to first byte. */
  private static final Set<Outcome> S3_NOT_ASKED =
      EnumSet.of(
          Outcome.REFUSED, Outcome.INVALID_HEADER, Outcome.HEADER_TOO_LATE, Outcome.REDIRECTED);

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();

  private final DistributionSummary bytesSent;
  private final Counter clientAborts;
  private final Timer timeToFirstByte;

  /**
   * Registers the meters.
   *
   * @param registry where the meters live
   */
  public S3RedirectMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    Gauge.builder(STREAMS_ACTIVE, active, AtomicInteger::get)
        .description("Object bodies the s3-redirect filter is sending")
        .strongReference(true)
        .register(registry);
    bytesSent =
        DistributionSummary.builder(BYTES_SENT)
            .description("Body bytes the s3-redirect filter sent per response")
            .baseUnit("bytes")
            .register(registry);
    clientAborts =
        Counter.builder(CLIENT_ABORTS)
            .description("Downloads the client abandoned before the end")
            .register(registry);
    timeToFirstByte =
        Timer.builder(TIME_TO_FIRST_BYTE)
            .description("Time from the filter taking over to S3's answer")
            .register(registry);
  }

  /** Returns a listener of its own for each exchange, which pairs a stream's start with its end. */
  @Override
  public S3RedirectListener forExchange(S3Location location) {
    return new S3RedirectListener() {
      private boolean streaming;

      @Override
      public void onStreamStarted(S3Location location) {
        if (!streaming) {
          streaming = true;
          active.incrementAndGet();
        }
      }

      @Override
      public void onEvent(S3RedirectEvent event) {
        if (streaming) {
          streaming = false;
          active.decrementAndGet();
        }
        S3RedirectMetrics.this.onEvent(event);
      }
    };
  }

  /** Records an exchange's end; the active-stream gauge is kept by {@link #forExchange}. */
  @Override
  public void onEvent(S3RedirectEvent event) {
    Counter.builder(REQUESTS)
        .description("Responses the s3-redirect filter produced from a redirect header")
        .tag("outcome", event.outcome().name().toLowerCase(Locale.ROOT))
        .tag("status", Integer.toString(event.status()))
        .register(registry)
        .increment();
    bytesSent.record(event.bytesSent());
    if (event.outcome() == Outcome.CLIENT_ABORTED) {
      clientAborts.increment();
    }
    if (!S3_NOT_ASKED.contains(event.outcome())) {
      timeToFirstByte.record(event.timeToFirstByte());
    }
  }
}
