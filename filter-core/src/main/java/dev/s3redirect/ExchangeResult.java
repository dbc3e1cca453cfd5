package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import java.util.Objects;

/**
 * How one exchange ended: what the listener is told and the log says.
 *
 * @param outcome how it ended
 * @param status the status the client got (or was getting, when the response was cut short)
 * @param bytesSent body bytes handed to the container
 * @param detail why, for the log only; empty when there is nothing to add
 */
record ExchangeResult(Outcome outcome, int status, long bytesSent, String detail) {

  ExchangeResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  /** Returns whether the response must end early: the client must see a failed download. */
  boolean cutShort() {
    return outcome == Outcome.UPSTREAM_FAILED_AFTER_COMMIT || outcome == Outcome.HEADER_TOO_LATE;
  }
}
