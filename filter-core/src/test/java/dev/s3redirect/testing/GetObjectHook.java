package dev.s3redirect.testing;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Runs an action just before the n-th {@code GetObject} an SDK client sends, once: a way to change
 * an object between two reads of one client request.
 */
public final class GetObjectHook implements ExecutionInterceptor {
  private final int trigger;
  private final Runnable action;
  private final AtomicInteger gets = new AtomicInteger();

  /**
   * @param trigger which {@code GetObject}, from 1, the action runs before
   * @param action what to do
   */
  public GetObjectHook(int trigger, Runnable action) {
    this.trigger = trigger;
    this.action = action;
  }

  @Override
  public void beforeExecution(
      Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
    if ("GetObject".equals(executionAttributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
        && gets.incrementAndGet() == trigger) {
      action.run();
    }
  }
}
