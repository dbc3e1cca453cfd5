package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The attempts of one read of the lean engine: each signed and sent until S3 answers something
 * other than a failure to retry, as the SDK's retry strategy decides, within the first-byte budget
 * (retries and their back-off included). Nothing is retried once a body is being read.
 */
final class LeanS3Attempts {

  private static final AcquireInitialTokenRequest RETRY_SCOPE =
      AcquireInitialTokenRequest.create("s3-redirect-lean");

  private final LeanS3Requests requests;
  private final LeanS3Transport transport;
  private final RetryStrategy retries;
  private final long firstByteTimeoutNanos;

  LeanS3Attempts(
      LeanS3Requests requests,
      LeanS3Transport transport,
      RetryStrategy retries,
      Duration firstByteTimeout) {
    this.requests = requests;
    this.transport = transport;
    this.retries = retries;
    this.firstByteTimeoutNanos = firstByteTimeout.toNanos();
  }

  /**
   * Sends a request until S3 answers something other than a retryable failure, within the
   * first-byte budget: returns that answer, its head read and its body not, or throws the last
   * failure. The caller finishes, aborts or hands on the exchange.
   */
  LeanS3Transport.Exchange send(
      String operation, LeanS3Endpoints.Direct route, SdkHttpMethod method, ObjectRequest request)
      throws ObjectStoreException {
    long deadline = System.nanoTime() + firstByteTimeoutNanos;
    RetryToken token = retries.acquireInitialToken(RETRY_SCOPE).token();
    SdkHttpRequest unsigned = requests.unsigned(route, method, request);
    for (int attempt = 1; ; attempt++) {
      Throwable failure;
      try {
        LeanS3Transport.Exchange exchange =
            transport.send(requests.sign(route, unsigned), route.origin(), deadline);
        if (isAnswer(method, exchange, route)) {
          retries.recordSuccess(RecordSuccessRequest.create(token));
          return exchange;
        }
        // An error answer: its head says what went wrong, its body (S3's XML) which error.
        String errorBody = exchange.finish(LeanS3Responses.ERROR_BODY_LIMIT);
        failure = LeanS3Responses.serviceException(exchange.status(), exchange::header, errorBody);
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      Duration delay;
      try {
        RefreshRetryTokenResponse retry =
            retries.refreshRetryToken(
                RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
        token = retry.token();
        delay = retry.delay();
      } catch (TokenAcquisitionFailedException noRetry) {
        throw failed(operation, request.location(), failure, attempt, requests.options());
      }
      if (delay.toNanos() >= deadline - System.nanoTime()) {
        throw failed(operation, request.location(), failure, attempt, requests.options());
      }
      try {
        TimeUnit.NANOSECONDS.sleep(delay.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreException(
            Failure.UNAVAILABLE,
            operation + " " + request.location() + " was interrupted before retrying",
            failure);
      }
    }
  }

  /** Whether an answer is the caller's to read, rather than a failure to retry or report. */
  private static boolean isAnswer(
      SdkHttpMethod method, LeanS3Transport.Exchange exchange, LeanS3Endpoints.Direct route) {
    int status = exchange.status();
    if (status == 200
        || LeanS3Responses.otherRegion(status, exchange::header, route.signingRegion())) {
      return true;
    }
    return method == SdkHttpMethod.GET
        && (status == 206 || status == 304 || status == 412 || status == 416);
  }

  private static ObjectStoreException failed(
      String operation, S3Location location, Throwable failure, int attempts, ReadOptions options) {
    return new ObjectStoreException(
        S3ObjectStore.failureOf(failure),
        operation
            + " "
            + location
            + " failed after "
            + attempts
            + (attempts == 1 ? " attempt: " : " attempts: ")
            + LeanS3Responses.describe(failure)
            + options.explain(failure, location),
        failure);
  }
}
