package dev.s3redirect.spring;

import dev.s3redirect.AllowList;
import dev.s3redirect.S3RedirectSettings;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.InitializingBean;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * At startup, while the singletons are created and so before the application accepts requests or
 * runs its runners: checks that S3 lets the client read every allowed bucket when {@code
 * s3-redirect.s3.verify-on-startup} is set, then says in one INFO line what the filter serves, from
 * where and through which client. Never logs credentials.
 */
final class S3RedirectStartup implements InitializingBean {

  private static final Logger LOG = System.getLogger(S3RedirectStartup.class.getName());

  /** Which client the filter reads through. */
  enum Client {
    /** The one the auto-configuration built from {@code s3-redirect.s3.*}. */
    BUILT("the S3 client it built from s3-redirect.s3.*"),
    /** The application's {@code S3Client} bean. */
    APPLICATIONS("the application's S3Client bean"),
    /** The application's {@code ObjectStore} bean, whatever client that uses. */
    APPLICATIONS_STORE("the application's ObjectStore bean");

    private final String description;

    Client(String description) {
      this.description = description;
    }
  }

  private final S3RedirectSettings settings;
  private final S3Client client;
  private final Map<String, S3Client> routes;
  private final Client which;
  private final boolean verify;

  S3RedirectStartup(
      S3RedirectSettings settings,
      S3Client client,
      Map<String, S3Client> routes,
      Client which,
      boolean verify) {
    this.settings = settings;
    this.client = client;
    this.routes = routes;
    this.which = which;
    this.verify = verify;
  }

  @Override
  public void afterPropertiesSet() {
    String where = where(client);
    if (verify) {
      for (String bucket : buckets()) {
        S3Client whole = routes.get(bucket);
        verify(whole == null ? client : whole, bucket, whole == null ? where : where(whole));
      }
      for (Map.Entry<String, S3Client> route : routes.entrySet()) {
        String bucket = AllowList.Entry.parse(route.getKey()).bucket();
        if (!bucket.equals(route.getKey())) {
          verify(route.getValue(), bucket, where(route.getValue()));
        }
      }
    }
    StringBuilder routed = new StringBuilder();
    routes.forEach(
        (route, routeClient) ->
            routed.append("; ").append(route).append(" from ").append(where(routeClient)));
    LOG.log(
        Level.INFO,
        "s3-redirect serves "
            + settings.headerName()
            + " from "
            + settings.allowList().entries()
            + " at "
            + where
            + " through "
            + which.description
            + routed
            + (verify ? "; every allowed bucket answered HeadBucket" : ""));
  }

  private Set<String> buckets() {
    Set<String> buckets = new LinkedHashSet<>();
    for (AllowList.Entry entry : settings.allowList().entries()) {
      buckets.add(entry.bucket());
    }
    return buckets;
  }

  /** The endpoint and region of a client, as far as it tells them. */
  private static String where(S3Client client) {
    S3ServiceClientConfiguration configuration;
    try {
      configuration = client.serviceClientConfiguration();
    } catch (RuntimeException unknown) {
      configuration = null;
    }
    if (configuration == null) {
      return "an S3 endpoint the client does not tell";
    }
    String endpoint = configuration.endpointOverride().map(Object::toString).orElse("Amazon S3");
    return endpoint
        + (configuration.region() == null ? "" : " (region " + configuration.region() + ")");
  }

  private void verify(S3Client client, String bucket, String where) {
    try {
      client.headBucket(request -> request.bucket(bucket));
    } catch (S3Exception refused) {
      throw new BucketCheckFailedException(
          bucket,
          where,
          "S3 answered " + answer(refused),
          action(refused.statusCode(), region(refused)));
    } catch (SdkException unanswered) {
      throw new BucketCheckFailedException(
          bucket,
          where,
          "no answer from S3 (" + unanswered.getMessage() + ")",
          "Check that S3 can be reached at "
              + where
              + (which == Client.BUILT
                  ? " (s3-redirect.s3.endpoint and s3-redirect.s3.region)"
                  : "")
              + ", or set s3-redirect.s3.verify-on-startup=false to start without checking.");
    }
  }

  private static String answer(S3Exception refused) {
    StringBuilder answer = new StringBuilder().append(refused.statusCode());
    String reason = reason(refused.statusCode());
    if (!reason.isEmpty()) {
      answer.append(' ').append(reason);
    }
    if (refused.awsErrorDetails() != null && refused.awsErrorDetails().errorCode() != null) {
      answer.append(" (").append(refused.awsErrorDetails().errorCode()).append(')');
    }
    if (refused.requestId() != null) {
      answer.append(", request id ").append(refused.requestId());
    }
    return answer.toString();
  }

  private static Optional<String> region(S3Exception refused) {
    if (refused.awsErrorDetails() == null || refused.awsErrorDetails().sdkHttpResponse() == null) {
      return Optional.empty();
    }
    return refused.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
  }

  private static String reason(int status) {
    return switch (status) {
      case 301 -> "Moved Permanently";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "";
    };
  }

  private String action(int status, Optional<String> bucketRegion) {
    String orSkip = ", or set s3-redirect.s3.verify-on-startup=false to start without checking.";
    String credentials =
        which == Client.BUILT
            ? "s3-redirect.s3.access-key and s3-redirect.s3.secret-key, or the AWS SDK's default"
                + " credentials chain"
            : "the credentials of the application's S3 client";
    if (bucketRegion.isPresent() && (status == 301 || status == 400)) {
      return "The bucket is in region "
          + bucketRegion.get()
          + ": sign for it"
          + (which == Client.BUILT ? " (s3-redirect.s3.region=" + bucketRegion.get() + ")" : "")
          + orSkip;
    }
    return switch (status) {
      case 403 ->
          "Check " + credentials + ", and that they may read the bucket (s3:ListBucket)" + orSkip;
      case 404 -> "Check the bucket's name in s3-redirect.allow and the endpoint" + orSkip;
      case 301, 400 -> "Check the region and the endpoint the client uses" + orSkip;
      default -> "S3 failed: try again" + orSkip;
    };
  }
}
