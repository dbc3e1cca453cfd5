package dev.s3redirect.spring;

import dev.s3redirect.AllowList;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.S3RedirectSettings.ErrorPages;
import dev.s3redirect.S3RedirectSettings.WriteMode;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the s3-redirect filter, under the {@code s3-redirect} prefix.
 *
 * <p>The filter's own settings map onto {@link S3RedirectSettings} ({@link #toSettings()}), which
 * validates them; {@link Filter} says how the filter is registered, and {@link S3} how the S3
 * client is built when the application has none.
 */
@ConfigurationProperties("s3-redirect")
public class S3RedirectProperties {

  private static final String PREFIX = "s3-redirect.";

  /** Whether to register the filter. */
  private boolean enabled = true;

  /** Response header that names the S3 object; never sent to the client. */
  private String headerName = "X-S3-Redirect";

  /**
   * Buckets ("media") or bucket key prefixes ("media/public/") that may be served. Nothing is
   * served until at least one is listed: an empty list fails at startup.
   */
  private List<String> allow = new ArrayList<>();

  /** Size of the one buffer each response streams through, from 1KB to 16MB. */
  private DataSize bufferSize = DataSize.ofKilobytes(64);

  /**
   * Longest wait for S3's response headers, retries included, before the client gets 504. Does not
   * limit how long a download may take.
   */
  private Duration firstByteTimeout = Duration.ofSeconds(15);

  /** Status sent when S3 denies access: 403, or 404 to hide whether the object exists. */
  private int accessDeniedStatus = 403;

  /** Cache-Control sent when neither the application nor the object sets one; none by default. */
  private String defaultCacheControl;

  /**
   * Most ranges one request may ask for, from 1 to 1000; a Range header with more is ignored and
   * the whole object sent. Each part of a multipart/byteranges answer costs one ranged GetObject. 1
   * turns multipart answers off.
   */
  private int maxRanges = 16;

  /**
   * How object bytes are written: non-blocking (a container thread works only while the client
   * accepts bytes, and a client that stops reading releases its S3 connection) or blocking (the
   * request thread and the S3 connection wait for the client). Non-blocking needs asynchronous
   * support in the filter chain, which Spring Boot registers; without it a response is written
   * blocking.
   */
  private WriteMode writeMode = WriteMode.NON_BLOCKING;

  /**
   * How long a client may accept no bytes before its S3 connection is released (non-blocking mode);
   * the body resumes with one ranged GetObject when the client reads again.
   */
  private Duration stallTimeout = Duration.ofSeconds(5);

  /**
   * Who writes the body of an error answer (404, 502 …): filter (the reason phrase as text/plain)
   * or application (the filter calls sendError, and Spring Boot's error handling renders it: the
   * /error page, JSON or a ProblemDetail). Either way nothing from S3 is shown.
   */
  private ErrorPages errorPages = ErrorPages.FILTER;

  /**
   * Default rate limit of object bodies, per second (for example 512KB); none when unset or 0. A
   * response's own X-S3-Redirect-Limit-Rate header (bytes per second, 0 or off for none) overrides
   * it, and is never sent to the client.
   */
  private DataSize rateLimit;

  /** Bytes a rate-limited body may send at once before its rate applies. */
  private DataSize rateLimitBurst = DataSize.ofKilobytes(64);

  /** Filter registration. */
  private final Filter filter = new Filter();

  /** Redirects to signed URLs instead of streaming. */
  private final Redirect redirect = new Redirect();

  /** The S3 client built when the application has no S3Client bean. */
  private final S3 s3 = new S3();

  /**
   * S3 access of its own for a bucket, or a key prefix of one: region, endpoint, path style,
   * credentials, engine, pool and requester-pays, with the same properties and defaults as
   * s3-redirect.s3 (nothing is inherited from it). The key is the bucket or bucket/prefix; write it
   * in brackets when it contains a dot or a slash: s3-redirect.buckets[media/sealed/].region.
   * Buckets without an entry are read through the default client.
   */
  private final Map<String, S3> buckets = new LinkedHashMap<>();

  /** Creates the properties with their defaults; Spring binds them. */
  public S3RedirectProperties() {}

  /**
   * Maps these properties onto the core's settings, each checked against the core's rules.
   *
   * @return the validated settings
   * @throws InvalidConfigurationPropertyValueException naming the first invalid property
   */
  public S3RedirectSettings toSettings() {
    if (allow == null || allow.isEmpty()) {
      throw invalid(
          "allow",
          allow,
          "nothing may be served; list at least one bucket or bucket/key-prefix, for example"
              + " s3-redirect.allow=media/public/");
    }
    try {
      AllowList.of(allow);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid("allow", allow, e.getMessage());
    }
    // Each property on its own over the defaults, so that the failure names the property.
    check("header-name", headerName, b -> b.headerName(headerName));
    int buffer = bufferSizeInBytes();
    check("buffer-size", bufferSize, b -> b.bufferSize(buffer));
    check("first-byte-timeout", firstByteTimeout, b -> b.firstByteTimeout(firstByteTimeout));
    check(
        "access-denied-status", accessDeniedStatus, b -> b.accessDeniedStatus(accessDeniedStatus));
    check(
        "default-cache-control",
        defaultCacheControl,
        b -> b.defaultCacheControl(defaultCacheControl));
    check("max-ranges", maxRanges, b -> b.maxRanges(maxRanges));
    check("write-mode", writeMode, b -> b.writeMode(writeMode));
    check("stall-timeout", stallTimeout, b -> b.stallTimeout(stallTimeout));
    check("error-pages", errorPages, b -> b.errorPages(errorPages));
    long rate = rateLimit == null ? 0 : rateLimit.toBytes();
    check("rate-limit", rateLimit, b -> b.rateLimit(rate));
    if (rateLimitBurst == null) {
      throw invalid("rate-limit-burst", null, "must be set");
    }
    long burst = rateLimitBurst.toBytes();
    check("rate-limit-burst", rateLimitBurst, b -> b.rateLimitBurst(burst));
    return S3RedirectSettings.builder()
        .allow(allow)
        .headerName(headerName)
        .bufferSize(buffer)
        .firstByteTimeout(firstByteTimeout)
        .accessDeniedStatus(accessDeniedStatus)
        .defaultCacheControl(defaultCacheControl)
        .maxRanges(maxRanges)
        .writeMode(writeMode)
        .stallTimeout(stallTimeout)
        .errorPages(errorPages)
        .rateLimit(rate)
        .rateLimitBurst(burst)
        .build();
  }

  private int bufferSizeInBytes() {
    if (bufferSize == null) {
      throw invalid("buffer-size", null, "must be set");
    }
    long bytes = bufferSize.toBytes();
    return bytes > Integer.MAX_VALUE ? -1 : (int) bytes;
  }

  private void check(String property, Object value, UnaryOperator<S3RedirectSettings.Builder> set) {
    try {
      set.apply(S3RedirectSettings.builder().allow(allow)).build();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid(property, value, e.getMessage());
    }
  }

  static InvalidConfigurationPropertyValueException invalid(
      String property, Object value, String reason) {
    return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getHeaderName() {
    return headerName;
  }

  public void setHeaderName(String headerName) {
    this.headerName = headerName;
  }

  public List<String> getAllow() {
    return allow;
  }

  public void setAllow(List<String> allow) {
    this.allow = allow;
  }

  public DataSize getBufferSize() {
    return bufferSize;
  }

  public void setBufferSize(DataSize bufferSize) {
    this.bufferSize = bufferSize;
  }

  public Duration getFirstByteTimeout() {
    return firstByteTimeout;
  }

  public void setFirstByteTimeout(Duration firstByteTimeout) {
    this.firstByteTimeout = firstByteTimeout;
  }

  public int getAccessDeniedStatus() {
    return accessDeniedStatus;
  }

  public void setAccessDeniedStatus(int accessDeniedStatus) {
    this.accessDeniedStatus = accessDeniedStatus;
  }

  public String getDefaultCacheControl() {
    return defaultCacheControl;
  }

  public void setDefaultCacheControl(String defaultCacheControl) {
    this.defaultCacheControl = defaultCacheControl;
  }

  public int getMaxRanges() {
    return maxRanges;
  }

  public void setMaxRanges(int maxRanges) {
    this.maxRanges = maxRanges;
  }

  public WriteMode getWriteMode() {
    return writeMode;
  }

  public void setWriteMode(WriteMode writeMode) {
    this.writeMode = writeMode;
  }

  public Duration getStallTimeout() {
    return stallTimeout;
  }

  public ErrorPages getErrorPages() {
    return errorPages;
  }

  public void setErrorPages(ErrorPages errorPages) {
    this.errorPages = errorPages;
  }

  public void setStallTimeout(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  public DataSize getRateLimit() {
    return rateLimit;
  }

  public void setRateLimit(DataSize rateLimit) {
    this.rateLimit = rateLimit;
  }

  public DataSize getRateLimitBurst() {
    return rateLimitBurst;
  }

  public void setRateLimitBurst(DataSize rateLimitBurst) {
    this.rateLimitBurst = rateLimitBurst;
  }

  public Filter getFilter() {
    return filter;
  }

  public Redirect getRedirect() {
    return redirect;
  }

  public S3 getS3() {
    return s3;
  }

  public Map<String, S3> getBuckets() {
    return buckets;
  }

  /**
   * When the filter answers with a redirect to a signed URL instead of streaming: the application's
   * X-S3-Redirect-Delivery header (redirect or stream) decides for its response, the rule for the
   * others. Never for HEAD, for objects read with a customer key (SSE-C), or for buckets with an
   * s3-redirect.buckets entry (presigned URLs are signed with the default client's credentials).
   */
  public static class Redirect {

    /** Which responses are redirected when the application does not say. */
    public enum Rule {
      /** None: no redirect policy; the delivery header is ignored. */
      NEVER,
      /** Only those whose application set X-S3-Redirect-Delivery: redirect. */
      ON_REQUEST,
      /** Every GET. */
      ALWAYS,
      /** Objects of at least minimum-size; costs one HeadObject per response. */
      ABOVE_SIZE
    }

    /**
     * Which responses are redirected when the application does not say: never (no policy),
     * on-request, always, above-size.
     */
    private Rule rule = Rule.NEVER;

    /** Smallest object the above-size rule redirects. */
    private DataSize minimumSize = DataSize.ofBytes(0);

    /** Whether the rule leaves requests with a Range header to be streamed. */
    private boolean onlyWithoutRange;

    /**
     * How long a signed URL stays valid, from 1s to 7d. A media player keeps using the URL it was
     * redirected to while it seeks: cover a viewing.
     */
    private Duration lifetime = Duration.ofMinutes(5);

    /** Redirect status: 302 or 307. */
    private int status = 302;

    /** Signing through a CloudFront distribution instead of presigned S3 URLs. */
    private final CloudFront cloudfront = new CloudFront();

    /** Creates the redirect properties with their defaults. */
    public Redirect() {}

    public Rule getRule() {
      return rule;
    }

    public void setRule(Rule rule) {
      this.rule = rule;
    }

    public DataSize getMinimumSize() {
      return minimumSize;
    }

    public void setMinimumSize(DataSize minimumSize) {
      this.minimumSize = minimumSize;
    }

    public boolean isOnlyWithoutRange() {
      return onlyWithoutRange;
    }

    public void setOnlyWithoutRange(boolean onlyWithoutRange) {
      this.onlyWithoutRange = onlyWithoutRange;
    }

    public Duration getLifetime() {
      return lifetime;
    }

    public void setLifetime(Duration lifetime) {
      this.lifetime = lifetime;
    }

    public int getStatus() {
      return status;
    }

    public void setStatus(int status) {
      this.status = status;
    }

    public CloudFront getCloudfront() {
      return cloudfront;
    }
  }

  /**
   * CloudFront signed URLs (canned policy) for one bucket that is a distribution's origin; needs
   * software.amazon.awssdk:cloudfront on the classpath.
   */
  public static class CloudFront {

    /** The distribution's base URL, such as https://d111111abcdef8.cloudfront.net; unset: none. */
    private URI distribution;

    /** The bucket that is the distribution's origin; other buckets are streamed. */
    private String bucket;

    /** The id of the public key (key group member) CloudFront verifies signatures with. */
    private String keyPairId;

    /** The PEM file of its RSA private key (PKCS#1 or PKCS#8). */
    private java.nio.file.Path privateKey;

    /** Creates the CloudFront properties, unset. */
    public CloudFront() {}

    public URI getDistribution() {
      return distribution;
    }

    public void setDistribution(URI distribution) {
      this.distribution = distribution;
    }

    public String getBucket() {
      return bucket;
    }

    public void setBucket(String bucket) {
      this.bucket = bucket;
    }

    public String getKeyPairId() {
      return keyPairId;
    }

    public void setKeyPairId(String keyPairId) {
      this.keyPairId = keyPairId;
    }

    public java.nio.file.Path getPrivateKey() {
      return privateKey;
    }

    public void setPrivateKey(java.nio.file.Path privateKey) {
      this.privateKey = privateKey;
    }
  }

  /** How the filter is registered with the servlet container. */
  public static class Filter {

    /** URL patterns the filter applies to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    /**
     * Order of the filter in the chain; early by default (HIGHEST_PRECEDENCE + 20), so that no
     * other filter sees the application's discarded body.
     */
    private int order = Ordered.HIGHEST_PRECEDENCE + 20;

    /**
     * Dispatcher types the filter applies to. ASYNC is needed for DeferredResult, CompletableFuture
     * and other asynchronous responses.
     */
    private Set<DispatcherType> dispatcherTypes =
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);

    /** Creates the registration properties with their defaults. */
    public Filter() {}

    public List<String> getUrlPatterns() {
      return urlPatterns;
    }

    public void setUrlPatterns(List<String> urlPatterns) {
      this.urlPatterns = urlPatterns;
    }

    public int getOrder() {
      return order;
    }

    public void setOrder(int order) {
      this.order = order;
    }

    public Set<DispatcherType> getDispatcherTypes() {
      return dispatcherTypes;
    }

    public void setDispatcherTypes(Set<DispatcherType> dispatcherTypes) {
      this.dispatcherTypes = dispatcherTypes;
    }
  }

  /**
   * The S3 client the auto-configuration builds when the application has no {@code S3Client} bean:
   * static credentials or the AWS SDK's default credentials chain, Apache HttpClient 5. Ignored
   * when the application has one, except {@code verify-on-startup}.
   */
  public static class S3 {

    /**
     * How objects are read: lean (GetObject and HeadObject signed with the SDK's signer and sent on
     * a pool of its own, without the SDK's per-call pipeline; what it does not support falls back
     * to the S3 client) or sdk (every read through the S3 client).
     */
    private Engine engine = Engine.LEAN;

    /**
     * Socket receive buffer of the lean engine's connections to S3, which bounds what S3 sends
     * ahead of a client that stopped reading; 0 leaves the operating system's default and its
     * automatic tuning, which keeps single large downloads fastest.
     */
    private DataSize receiveBufferSize = DataSize.ofBytes(0);

    /**
     * Region to sign for. Without it, the SDK's default region chain (AWS_REGION, aws.region, the
     * profile); with an endpoint set and no region found, us-east-1.
     */
    private String region;

    /** Endpoint of an S3-compatible server, instead of Amazon S3's own. */
    private URI endpoint;

    /**
     * Whether to address buckets in the path (http://host/bucket/key) rather than in the host name;
     * most S3-compatible servers need it.
     */
    private boolean pathStyle = false;

    /**
     * When the client computes request checksums and validates response checksums. WHEN_REQUIRED
     * for S3-compatible servers that do not implement the newer default checksums.
     */
    private Checksums checksums = Checksums.WHEN_SUPPORTED;

    /**
     * Most connections to S3. Each response being streamed holds one for its whole duration, so
     * size it for the concurrent downloads (Tomcat's default is 200 worker threads).
     */
    private int maxConnections = 200;

    /** Longest wait to open a connection to S3. */
    private Duration connectionTimeout = Duration.ofSeconds(2);

    /** Longest wait for the next bytes from S3 on an open connection; ends a stalled download. */
    private Duration socketTimeout = Duration.ofSeconds(30);

    /**
     * Access key id of static credentials, with secret-key (both or neither); without them, the AWS
     * SDK's default credentials chain. Environment variable: S3_REDIRECT_S3_ACCESS_KEY.
     */
    private String accessKey;

    /**
     * Secret access key of static credentials, with access-key (both or neither); never logged.
     * Environment variable: S3_REDIRECT_S3_SECRET_KEY.
     */
    private String secretKey;

    /**
     * Whether to check at startup, with a HeadBucket request per allowed bucket, that S3 answers
     * and lets the client read; a failure stops the application and names the bucket, the endpoint
     * and S3's answer. Applies to the S3 client the filter reads through, the application's or the
     * one built from these properties.
     */
    private boolean verifyOnStartup = false;

    /**
     * Whether every request says the requester pays for it (x-amz-request-payer: requester), as
     * requester-pays buckets demand of other accounts.
     */
    private boolean requesterPays = false;

    /** Creates the client properties with their defaults. */
    public S3() {}

    public boolean isRequesterPays() {
      return requesterPays;
    }

    public void setRequesterPays(boolean requesterPays) {
      this.requesterPays = requesterPays;
    }

    public Engine getEngine() {
      return engine;
    }

    public void setEngine(Engine engine) {
      this.engine = engine;
    }

    public DataSize getReceiveBufferSize() {
      return receiveBufferSize;
    }

    public void setReceiveBufferSize(DataSize receiveBufferSize) {
      this.receiveBufferSize = receiveBufferSize;
    }

    public String getRegion() {
      return region;
    }

    public void setRegion(String region) {
      this.region = region;
    }

    public URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(URI endpoint) {
      this.endpoint = endpoint;
    }

    public boolean isPathStyle() {
      return pathStyle;
    }

    public void setPathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
    }

    public Checksums getChecksums() {
      return checksums;
    }

    public void setChecksums(Checksums checksums) {
      this.checksums = checksums;
    }

    public int getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
    }

    public Duration getConnectionTimeout() {
      return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
    }

    public Duration getSocketTimeout() {
      return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
      this.socketTimeout = socketTimeout;
    }

    public String getAccessKey() {
      return accessKey;
    }

    public void setAccessKey(String accessKey) {
      this.accessKey = accessKey;
    }

    public String getSecretKey() {
      return secretKey;
    }

    public void setSecretKey(String secretKey) {
      this.secretKey = secretKey;
    }

    public boolean isVerifyOnStartup() {
      return verifyOnStartup;
    }

    public void setVerifyOnStartup(boolean verifyOnStartup) {
      this.verifyOnStartup = verifyOnStartup;
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
      return "S3[region="
          + region
          + ", endpoint="
          + endpoint
          + ", pathStyle="
          + pathStyle
          + ", credentials="
          + (accessKey == null && secretKey == null ? "default chain" : "static (not shown)")
          + "]";
    }
  }

  /** How objects are read from S3. */
  public enum Engine {
    /** The lean engine: the SDK's signer, credentials and endpoint rules on a pool of its own. */
    LEAN,
    /** Every read through the AWS SDK's {@code S3Client}. */
    SDK
  }

  /** When the S3 client computes and validates checksums. */
  public enum Checksums {
    /** Whenever the operation supports them: the AWS SDK's default, for Amazon S3. */
    WHEN_SUPPORTED,
    /** Only where the operation requires them: for S3-compatible servers. */
    WHEN_REQUIRED
  }
}
