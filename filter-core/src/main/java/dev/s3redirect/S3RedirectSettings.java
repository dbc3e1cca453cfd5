package dev.s3redirect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The filter's configuration: an immutable, validated value built with {@link #builder()}.
 *
 * <p>Nothing is served until at least one bucket (or bucket and key prefix) is allowed: {@link
 * Builder#build()} refuses an empty allow-list.
 *
 * @param headerName the response header that names the object; never sent to the client
 * @param allowList the buckets and key prefixes that may be served
 * @param bufferSize the size of the one buffer each response streams through, in bytes
 * @param firstByteTimeout how long to wait for S3 to start answering before answering 504
 * @param accessDeniedStatus the status sent when S3 denies access: 403, or 404 to hide existence
 * @param defaultCacheControl the {@code Cache-Control} sent when neither the application nor the
 *     object has one; {@code null} for none
 * @param maxRanges the most ranges one request may ask for; a {@code Range} with more is ignored
 *     and the whole object sent (RFC 9110 §14.2)
 * @param writeMode how object bytes are written to the client
 * @param stallTimeout in {@linkplain WriteMode#NON_BLOCKING non-blocking} mode, how long a client
 *     may accept no bytes before the S3 connection is released (the body resumes with a ranged
 *     request when the client reads again)
 * @param errorPages who writes the body of an error answer (404, 502 …): the filter, a generic
 *     reason phrase; or the application, through the container's error handling
 * @param rateLimit the default most bytes per second an object body is sent at; 0 for no limit. The
 *     application may set another for one response in the {@linkplain #rateLimitHeaderName()
 *     rate-limit header}
 * @param rateLimitBurst the bytes a rate-limited body may send at once before the rate applies
 */
public record S3RedirectSettings(
    String headerName,
    AllowList allowList,
    int bufferSize,
    Duration firstByteTimeout,
    int accessDeniedStatus,
    String defaultCacheControl,
    int maxRanges,
    WriteMode writeMode,
    Duration stallTimeout,
    ErrorPages errorPages,
    long rateLimit,
    long rateLimitBurst) {

  /** The default header name. */
  public static final String DEFAULT_HEADER_NAME = "X-S3-Redirect";

  /** The default buffer size: 64 KiB. */
  public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

  /** The smallest buffer accepted. */
  public static final int MIN_BUFFER_SIZE = 1024;

  /** The largest buffer accepted. */
  public static final int MAX_BUFFER_SIZE = 16 * 1024 * 1024;

  /**
   * The default most ranges per request: each part of a {@code multipart/byteranges} answer costs
   * one ranged {@code GetObject}, so this also bounds the S3 requests one client request can cause.
   */
  public static final int DEFAULT_MAX_RANGES = 16;

  /** The highest {@link #maxRanges()} accepted. */
  public static final int MAX_MAX_RANGES = 1000;

  /** The default time to first byte from S3. */
  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(15);

  /** The default time a client may accept no bytes before its S3 connection is released. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The default initial burst of a rate-limited body: 64 KiB, enough for a player's first probe of
   * a media file, small beside what a limit is meant to pace.
   */
  public static final long DEFAULT_RATE_LIMIT_BURST = 64 * 1024;

  /** The suffix of the rate-limit header's name, after the redirect header's name. */
  public static final String RATE_LIMIT_HEADER_SUFFIX = "-Limit-Rate";

  /** The suffix of the delivery header's name, after the redirect header's name. */
  public static final String DELIVERY_HEADER_SUFFIX = "-Delivery";

  /** Who writes the body of an error answer. */
  public enum ErrorPages {
    /**
     * The filter: the reason phrase as {@code text/plain}, never cached, nothing from S3. Works the
     * same in every application.
     */
    FILTER,
    /**
     * The application: the filter sets the status with {@code sendError}, and the container's error
     * handling writes the body (Spring Boot's {@code /error}, a {@code ProblemDetail}, a {@code
     * web.xml} error page). The filter still drops the application's caching and disposition
     * headers and sends {@code Cache-Control: no-store}.
     */
    APPLICATION
  }

  /** How object bytes are written to the client. */
  public enum WriteMode {
    /**
     * Servlet non-blocking I/O: a container thread works only while bytes move, and a client that
     * stops reading releases its S3 connection after the stall timeout. Used where the container
     * and the filter chain support asynchronous requests; otherwise the exchange writes blocking.
     */
    NON_BLOCKING,
    /**
     * Blocking writes: the request thread and the S3 connection are held until the client has read.
     */
    BLOCKING
  }

  /**
   * Validates every setting.
   *
   * @param headerName the response header that names the object; never sent to the client
   * @param allowList the buckets and key prefixes that may be served
   * @param bufferSize the size of the one buffer each response streams through, in bytes
   * @param firstByteTimeout how long to wait for S3 to start answering before answering 504
   * @param accessDeniedStatus the status sent when S3 denies access: 403, or 404 to hide existence
   * @param defaultCacheControl the {@code Cache-Control} sent when neither the application nor the
   *     object has one; {@code null} for none
   * @param maxRanges the most ranges one request may ask for
   * @param writeMode how object bytes are written to the client
   * @param stallTimeout how long a client may accept no bytes before the S3 connection is released
   * @param errorPages who writes the body of an error answer
   * @param rateLimit the default most bytes per second a body is sent at; 0 for no limit
   * @param rateLimitBurst the bytes a rate-limited body may send at once
   * @throws IllegalArgumentException naming the first invalid setting
   */
  public S3RedirectSettings {
    if (headerName == null || !isToken(headerName)) {
      throw new IllegalArgumentException("headerName must be an HTTP header name (a token)");
    }
    Objects.requireNonNull(allowList, "allowList");
    if (allowList.isEmpty()) {
      throw new IllegalArgumentException(
          "allowList is empty: allow at least one bucket or bucket/key-prefix");
    }
    if (bufferSize < MIN_BUFFER_SIZE || bufferSize > MAX_BUFFER_SIZE) {
      throw new IllegalArgumentException(
          "bufferSize must be between " + MIN_BUFFER_SIZE + " and " + MAX_BUFFER_SIZE);
    }
    Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
    if (firstByteTimeout.isNegative() || firstByteTimeout.isZero()) {
      throw new IllegalArgumentException("firstByteTimeout must be positive");
    }
    if (accessDeniedStatus != 403 && accessDeniedStatus != 404) {
      throw new IllegalArgumentException("accessDeniedStatus must be 403 or 404");
    }
    if (defaultCacheControl != null
        && (defaultCacheControl.isBlank()
            || defaultCacheControl.chars().anyMatch(c -> c < 0x20 || c == 0x7F))) {
      throw new IllegalArgumentException("defaultCacheControl must be a non-blank header value");
    }
    if (maxRanges < 1 || maxRanges > MAX_MAX_RANGES) {
      throw new IllegalArgumentException("maxRanges must be between 1 and " + MAX_MAX_RANGES);
    }
    Objects.requireNonNull(writeMode, "writeMode");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    if (stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("stallTimeout must be positive");
    }
    Objects.requireNonNull(errorPages, "errorPages");
    if (rateLimit < 0) {
      throw new IllegalArgumentException("rateLimit must not be negative (0 for no limit)");
    }
    if (rateLimitBurst < 0) {
      throw new IllegalArgumentException("rateLimitBurst must not be negative");
    }
  }

  /**
   * Returns the response header in which the application sets the rate limit of one response, in
   * bytes per second ({@code 0} or {@code off} for none): the redirect header's name followed by
   * {@value #RATE_LIMIT_HEADER_SUFFIX}, by default {@code X-S3-Redirect-Limit-Rate}. Like the
   * redirect header, it never reaches the client.
   *
   * @return the header's name
   */
  public String rateLimitHeaderName() {
    return headerName + RATE_LIMIT_HEADER_SUFFIX;
  }

  /**
   * Returns the response header in which the application chooses how one response is delivered:
   * {@code redirect} to a signed URL, or {@code stream} through the filter, overriding the filter's
   * {@link RedirectPolicy}: the redirect header's name followed by {@value
   * #DELIVERY_HEADER_SUFFIX}, by default {@code X-S3-Redirect-Delivery}. It never reaches the
   * client.
   *
   * @return the header's name
   */
  public String deliveryHeaderName() {
    return headerName + DELIVERY_HEADER_SUFFIX;
  }

  /**
   * Returns the configured default {@code Cache-Control}.
   *
   * @return the value, if one is configured
   */
  public Optional<String> defaultCacheControlValue() {
    return Optional.ofNullable(defaultCacheControl);
  }

  /**
   * Returns a builder with the defaults and an empty allow-list.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  /** Builds {@link S3RedirectSettings}; every setting but the allow-list has a default. */
  public static final class Builder {
    private String headerName = DEFAULT_HEADER_NAME;
    private final List<String> allowed = new ArrayList<>();
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private Duration firstByteTimeout = DEFAULT_FIRST_BYTE_TIMEOUT;
    private int accessDeniedStatus = 403;
    private String defaultCacheControl;
    private int maxRanges = DEFAULT_MAX_RANGES;
    private WriteMode writeMode = WriteMode.NON_BLOCKING;
    private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
    private ErrorPages errorPages = ErrorPages.FILTER;
    private long rateLimit;
    private long rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;

    private Builder() {}

    /**
     * Sets the response header that names the object (default {@code X-S3-Redirect}).
     *
     * @param headerName a header name; matched case-insensitively
     * @return this builder
     */
    public Builder headerName(String headerName) {
      this.headerName = headerName;
      return this;
    }

    /**
     * Allows buckets or bucket key prefixes, each written {@code bucket} or {@code bucket/prefix}.
     *
     * @param entries allow-list entries
     * @return this builder
     * @see AllowList
     */
    public Builder allow(String... entries) {
      allowed.addAll(List.of(entries));
      return this;
    }

    /**
     * Allows buckets or bucket key prefixes, each written {@code bucket} or {@code bucket/prefix}.
     *
     * @param entries allow-list entries
     * @return this builder
     * @see AllowList
     */
    public Builder allow(List<String> entries) {
      allowed.addAll(entries);
      return this;
    }

    /**
     * Sets the streaming buffer size in bytes (default 64 KiB; 1 KiB to 16 MiB).
     *
     * @param bufferSize bytes
     * @return this builder
     */
    public Builder bufferSize(int bufferSize) {
      this.bufferSize = bufferSize;
      return this;
    }

    /**
     * Sets how long to wait for S3's response headers before answering 504 (default 15 s).
     *
     * @param firstByteTimeout a positive duration
     * @return this builder
     */
    public Builder firstByteTimeout(Duration firstByteTimeout) {
      this.firstByteTimeout = firstByteTimeout;
      return this;
    }

    /**
     * Sets the status answered when S3 denies access: 403 (default) or 404.
     *
     * @param status 403 or 404
     * @return this builder
     */
    public Builder accessDeniedStatus(int status) {
      this.accessDeniedStatus = status;
      return this;
    }

    /**
     * Sets the {@code Cache-Control} sent when neither the application nor the object sets one.
     *
     * @param cacheControl a header value, or {@code null} for none (the default)
     * @return this builder
     */
    public Builder defaultCacheControl(String cacheControl) {
      this.defaultCacheControl = cacheControl;
      return this;
    }

    /**
     * Sets the most ranges one request may ask for (default 16; 1 to 1000). A {@code Range} with
     * more is ignored and the whole object sent; 1 turns {@code multipart/byteranges} off.
     *
     * @param maxRanges the limit
     * @return this builder
     */
    public Builder maxRanges(int maxRanges) {
      this.maxRanges = maxRanges;
      return this;
    }

    /**
     * Sets how object bytes are written to the client (default {@link WriteMode#NON_BLOCKING}).
     *
     * @param writeMode the mode
     * @return this builder
     */
    public Builder writeMode(WriteMode writeMode) {
      this.writeMode = writeMode;
      return this;
    }

    /**
     * Sets how long a client may accept no bytes before its S3 connection is released (default 5 s;
     * non-blocking mode only). Each release costs one ranged {@code GetObject} when the client
     * reads again.
     *
     * @param stallTimeout a positive duration
     * @return this builder
     */
    public Builder stallTimeout(Duration stallTimeout) {
      this.stallTimeout = stallTimeout;
      return this;
    }

    /**
     * Sets who writes the body of an error answer (default {@link ErrorPages#FILTER}).
     *
     * @param errorPages the filter, or the application's error handling
     * @return this builder
     */
    public Builder errorPages(ErrorPages errorPages) {
      this.errorPages = errorPages;
      return this;
    }

    /**
     * Sets the default rate limit of object bodies, in bytes per second (default 0: none). A
     * response's own limit, in the {@linkplain S3RedirectSettings#rateLimitHeaderName() rate-limit
     * header}, overrides it. Non-blocking writes pace without holding a thread; blocking writes
     * sleep between writes.
     *
     * @param bytesPerSecond the limit, or 0 for none
     * @return this builder
     */
    public Builder rateLimit(long bytesPerSecond) {
      this.rateLimit = bytesPerSecond;
      return this;
    }

    /**
     * Sets the bytes a rate-limited body may send at once before the rate applies (default 64 KiB).
     * A client that pauses earns back at most this much.
     *
     * @param bytes the burst, 0 or more
     * @return this builder
     */
    public Builder rateLimitBurst(long bytes) {
      this.rateLimitBurst = bytes;
      return this;
    }

    /**
     * Validates and builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public S3RedirectSettings build() {
      return new S3RedirectSettings(
          headerName,
          AllowList.of(allowed),
          bufferSize,
          firstByteTimeout,
          accessDeniedStatus,
          defaultCacheControl,
          maxRanges,
          writeMode,
          stallTimeout,
          errorPages,
          rateLimit,
          rateLimitBurst);
    }
  }
}
