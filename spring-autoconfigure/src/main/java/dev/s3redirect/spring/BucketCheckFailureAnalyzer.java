package dev.s3redirect.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a failed startup check of the allowed buckets as Spring Boot reports its own. */
final class BucketCheckFailureAnalyzer extends AbstractFailureAnalyzer<BucketCheckFailedException> {

  BucketCheckFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BucketCheckFailedException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
