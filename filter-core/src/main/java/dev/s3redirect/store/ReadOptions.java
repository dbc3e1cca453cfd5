package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.utils.Logger;

/**
 * What a store adds to every request it sends for an object, {@code HeadObject} and {@code
 * GetObject} alike: the object's customer key (SSE-C) and the requester-pays acknowledgement.
 *
 * @param customerKeys where SSE-C keys come from
 * @param requesterPays whether to send {@code x-amz-request-payer: requester}
 */
record ReadOptions(CustomerKeyProvider customerKeys, boolean requesterPays) {

  /** Nothing added. */
  static final ReadOptions NONE = new ReadOptions(CustomerKeyProvider.NONE, false);

  ReadOptions {
    Objects.requireNonNull(customerKeys, "customerKeys");
  }

  /**
   * The loggers of the SDK's SigV4 signers, which log each canonical request at DEBUG: its signed
   * headers, a customer key among them, verbatim.
   */
  static final List<String> SIGNER_LOGGERS =
      List.of(
          "software.amazon.awssdk.http.auth.aws.internal.signer", "software.amazon.awssdk.auth");

  private static final System.Logger LOG = System.getLogger(ReadOptions.class.getName());
  private static final AtomicBoolean WARNED_OF_SIGNER_LOGS = new AtomicBoolean();

  /** Returns the object's key, asking the provider; a provider answering null means none. */
  Optional<CustomerKey> keyFor(S3Location location) {
    Optional<CustomerKey> key = customerKeys.keyFor(location);
    if (key == null || key.isEmpty()) {
      return Optional.empty();
    }
    warnIfTheSignerLogsKeys();
    return key;
  }

  /** Once per JVM: the signer's DEBUG log would show every customer key the stores send. */
  private static void warnIfTheSignerLogsKeys() {
    if (WARNED_OF_SIGNER_LOGS.get()) {
      return;
    }
    for (String name : SIGNER_LOGGERS) {
      if (Logger.loggerFor(name).isLoggingLevelEnabled("DEBUG")
          && WARNED_OF_SIGNER_LOGS.compareAndSet(false, true)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "s3-redirect: the logger {0} is at DEBUG: the AWS SDK's signer logs every canonical"
                + " request there, the customer keys (SSE-C) the filter sends included; set it to"
                + " INFO or above",
            name);
        return;
      }
    }
  }

  /**
   * Returns what a failure may mean for the customer key, for the log: S3 answers a read without
   * the key an encrypted object needs with 400, and one with a wrong key with 400 or 403 (the
   * server decides). Never contains the key.
   */
  String explain(Throwable failure, S3Location location) {
    if (!(failure instanceof AwsServiceException refused)
        || (refused.statusCode() != 400 && refused.statusCode() != 403)) {
      return "";
    }
    if (keyFor(location).isPresent()) {
      return " (the request carried the customer key (SSE-C) the CustomerKeyProvider gave for the"
          + " object: is it the key the object was stored with?)";
    }
    return refused.statusCode() == 400
        ? " (the request carried no customer key: if the object is encrypted with one (SSE-C),"
            + " the CustomerKeyProvider must supply it)"
        : "";
  }

  /** Hands each header to add for the object to {@code header}. */
  void forEachHeader(S3Location location, BiConsumer<String, String> header) {
    keyFor(location)
        .ifPresent(
            key -> {
              header.accept("x-amz-server-side-encryption-customer-algorithm", key.algorithm());
              header.accept("x-amz-server-side-encryption-customer-key", key.keyBase64());
              header.accept("x-amz-server-side-encryption-customer-key-MD5", key.keyMd5Base64());
            });
    if (requesterPays) {
      header.accept("x-amz-request-payer", "requester");
    }
  }
}
