package dev.s3redirect.spring;

import dev.s3redirect.S3RedirectSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Configuration of the s3-redirect filter, under the {@code s3-redirect} prefix. */
@ConfigurationProperties("s3-redirect")
public class S3RedirectProperties {

  /** Whether to register the filter. */
  private boolean enabled = true;

  /** Response header that names the S3 object; never sent to the client. */
  private String headerName = S3RedirectSettings.DEFAULT_HEADER_NAME;

  /**
   * Buckets ("media") or bucket key prefixes ("media/public/") that may be served. Nothing is
   * served until at least one is listed.
   */
  private List<String> allow = new ArrayList<>();

  /** Size of the buffer each response streams through. */
  private DataSize bufferSize = DataSize.ofBytes(S3RedirectSettings.DEFAULT_BUFFER_SIZE);

  /** Longest wait for S3 to start answering before the client gets 504. */
  private Duration firstByteTimeout = S3RedirectSettings.DEFAULT_FIRST_BYTE_TIMEOUT;

  /** Status sent when S3 denies access: 403, or 404 to hide whether the object exists. */
  private int accessDeniedStatus = 403;

  /** Cache-Control sent when neither the application nor the object sets one. */
  private String defaultCacheControl;

  /**
   * Most ranges one request may ask for; a Range header with more is ignored and the whole object
   * sent. Each part of a multipart/byteranges answer costs one ranged GetObject. 1 turns multipart
   * answers off.
   */
  private int maxRanges = S3RedirectSettings.DEFAULT_MAX_RANGES;

  /** Filter registration. */
  private final Filter filter = new Filter();

  /**
   * Maps these properties onto the core's settings.
   *
   * @return the validated settings
   * @throws IllegalStateException naming the offending property when a value is invalid
   */
  public S3RedirectSettings toSettings() {
    long buffer = bufferSize.toBytes();
    try {
      return S3RedirectSettings.builder()
          .headerName(headerName)
          .allow(allow)
          .bufferSize(buffer > Integer.MAX_VALUE ? -1 : (int) buffer)
          .firstByteTimeout(firstByteTimeout)
          .accessDeniedStatus(accessDeniedStatus)
          .defaultCacheControl(defaultCacheControl)
          .maxRanges(maxRanges)
          .build();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException("Invalid s3-redirect.* configuration: " + e.getMessage(), e);
    }
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

  public Filter getFilter() {
    return filter;
  }

  /** How the filter is registered with the servlet container. */
  public static class Filter {

    /** URL patterns the filter applies to. */
    private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

    /**
     * Order of the filter in the chain; early by default, so that no other filter sees the
     * application's discarded body.
     */
    private int order = org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 20;

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
  }
}
