package dev.s3redirect.testing;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** Counts the HTTP requests an SDK client sends, retries included. */
public final class CountingInterceptor implements ExecutionInterceptor {
  private final AtomicInteger requests = new AtomicInteger();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    requests.incrementAndGet();
  }

  public int requests() {
    return requests.get();
  }
}
