package dev.s3redirect;

import java.time.Duration;
import java.util.Objects;

/**
 * When the filter answers with a redirect to a signed URL instead of streaming the object: the
 * application still sets one header, and the policy (or the application, per response, in the
 * {@linkplain S3RedirectSettings#deliveryHeaderName() delivery header}) decides whether the bytes
 * go through the filter or straight from S3 or a CDN to the client.
 *
 * <p>Whatever the policy says, a response is streamed when the request is not a {@code GET} (a
 * signed URL is for one method), when the object is read with a customer-provided key (SSE-C: the
 * client could not send the key), and when the signer cannot sign for the object. A redirect
 * carries {@code Cache-Control: no-store}, so that no cache keeps a URL that expires.
 *
 * <pre>{@code
 * RedirectPolicy redirects =
 *     RedirectPolicy.builder(new S3PresignedUrls(presigner))
 *         .rule(RedirectPolicy.Rule.ABOVE_SIZE)
 *         .minimumSize(64L * 1024 * 1024)
 *         .build();
 * new S3RedirectFilter(store, settings, listener, redirects);
 * }</pre>
 */
public final class RedirectPolicy {

  /** The default lifetime of a signed URL: five minutes. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  /** The longest lifetime accepted: seven days, SigV4's limit for presigned URLs. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(7);

  /** Which responses are redirected when the application does not say. */
  public enum Rule {
    /** Only those whose application set the delivery header to {@code redirect}. */
    ON_REQUEST,
    /** Every {@code GET}. */
    ALWAYS,
    /**
     * Objects of at least the {@linkplain Builder#minimumSize(long) minimum size}. Costs one {@code
     * HeadObject} per response the application did not decide itself.
     */
    ABOVE_SIZE
  }

  private final UrlSigner signer;
  private final Rule rule;
  private final long minimumSize;
  private final boolean onlyWithoutRange;
  private final Duration lifetime;
  private final int status;

  private RedirectPolicy(Builder builder) {
    this.signer = builder.signer;
    this.rule = builder.rule;
    this.minimumSize = builder.minimumSize;
    this.onlyWithoutRange = builder.onlyWithoutRange;
    this.lifetime = builder.lifetime;
    this.status = builder.status;
  }

  /**
   * Returns a builder that redirects on request only, with URLs of the default lifetime.
   *
   * @param signer signs the URLs redirected to
   * @return a new builder
   */
  public static Builder builder(UrlSigner signer) {
    return new Builder(signer);
  }

  /**
   * Returns the signer.
   *
   * @return the signer
   */
  public UrlSigner signer() {
    return signer;
  }

  /**
   * Returns the rule for responses the application did not decide.
   *
   * @return the rule
   */
  public Rule rule() {
    return rule;
  }

  /**
   * Returns the smallest object the {@link Rule#ABOVE_SIZE} rule redirects, in bytes.
   *
   * @return bytes
   */
  public long minimumSize() {
    return minimumSize;
  }

  /**
   * Returns whether the rule leaves requests with a {@code Range} to be streamed.
   *
   * @return whether ranged requests are streamed
   */
  public boolean onlyWithoutRange() {
    return onlyWithoutRange;
  }

  /**
   * Returns how long a signed URL stays valid.
   *
   * @return the lifetime
   */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Returns the redirect status: 302 or 307.
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /** Builds a {@link RedirectPolicy}. */
  public static final class Builder {
    private final UrlSigner signer;
    private Rule rule = Rule.ON_REQUEST;
    private long minimumSize;
    private boolean onlyWithoutRange;
    private Duration lifetime = DEFAULT_LIFETIME;
    private int status = 302;

    private Builder(UrlSigner signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * Sets the rule for responses the application did not decide (default {@link Rule#ON_REQUEST}).
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(Rule rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Sets the smallest object {@link Rule#ABOVE_SIZE} redirects (default 0).
     *
     * @param bytes the size, 0 or more
     * @return this builder
     */
    public Builder minimumSize(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("minimumSize must not be negative");
      }
      this.minimumSize = bytes;
      return this;
    }

    /**
     * Leaves requests with a {@code Range} to be streamed by the rule (default: redirected like the
     * others). The delivery header still decides for its response.
     *
     * @param onlyWithoutRange whether the rule redirects only requests without a range
     * @return this builder
     */
    public Builder onlyWithoutRange(boolean onlyWithoutRange) {
      this.onlyWithoutRange = onlyWithoutRange;
      return this;
    }

    /**
     * Sets how long a signed URL stays valid (default 5 minutes; 1 second to 7 days). A media
     * player keeps using the URL it was redirected to while it seeks: cover a viewing.
     *
     * @param lifetime the lifetime
     * @return this builder
     */
    public Builder lifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
        throw new IllegalArgumentException("lifetime must be between 1 second and 7 days");
      }
      this.lifetime = lifetime;
      return this;
    }

    /**
     * Sets the redirect status: 302 (default) or 307.
     *
     * @param status 302 or 307
     * @return this builder
     */
    public Builder status(int status) {
      if (status != 302 && status != 307) {
        throw new IllegalArgumentException("status must be 302 or 307");
      }
      this.status = status;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public RedirectPolicy build() {
      return new RedirectPolicy(this);
    }
  }
}
