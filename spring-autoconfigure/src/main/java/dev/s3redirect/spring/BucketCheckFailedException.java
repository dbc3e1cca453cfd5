package dev.s3redirect.spring;

/** An allowed bucket that S3 would not let the client read at startup. */
final class BucketCheckFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String action;

  BucketCheckFailedException(String bucket, String where, String outcome, String action) {
    super(
        "s3-redirect.s3.verify-on-startup: HeadBucket on allowed bucket '"
            + bucket
            + "' at "
            + where
            + " failed: "
            + outcome
            + ".");
    this.action = action;
  }

  /** Returns what to do about it. */
  String action() {
    return action;
  }
}
