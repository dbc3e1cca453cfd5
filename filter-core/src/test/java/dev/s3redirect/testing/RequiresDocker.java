package dev.s3redirect.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs the annotated tests only where Testcontainers can reach a Docker engine; skips them, saying
 * so, elsewhere.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {

  /** Asks Testcontainers, once per JVM, whether a Docker engine answers. */
  final class Condition implements ExecutionCondition {
    private static volatile Boolean available;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (available == null) {
        available = DockerClientFactory.instance().isDockerAvailable();
      }
      return available
          ? ConditionEvaluationResult.enabled("a Docker engine is available")
          : ConditionEvaluationResult.disabled(
              "no Docker engine is reachable, so LocalStack cannot start; the same suite runs"
                  + " against embedded S3Proxy (S3ProxyOffloadIT)");
    }
  }
}
