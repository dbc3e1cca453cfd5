package dev.s3redirect;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Signs URLs that let a client download an object straight from S3 or a CDN for a limited time:
 * what a {@link RedirectPolicy} answers with instead of streaming. {@link S3PresignedUrls} signs
 * with the AWS SDK's S3 presigner, {@link CloudFrontSignedUrls} with its CloudFront utilities.
 */
public interface UrlSigner {

  /**
   * Signs a URL for one object.
   *
   * @param location the object
   * @param lifetime how long the URL stays valid
   * @param overrides the response headers the application set, which the URL asks the server to
   *     send where it can
   * @return the URL, or empty if this signer cannot sign for the object (it is then streamed)
   */
  Optional<URI> sign(S3Location location, Duration lifetime, ResponseOverrides overrides);

  /**
   * Response headers a signed URL may ask the server to send in place of the stored ones: what the
   * application set on its response.
   *
   * @param contentType the application's {@code Content-Type}, or {@code null}
   * @param contentDisposition the application's {@code Content-Disposition}, or {@code null}
   */
  record ResponseOverrides(String contentType, String contentDisposition) {

    /** No overrides. */
    public static final ResponseOverrides NONE = new ResponseOverrides(null, null);
  }
}
