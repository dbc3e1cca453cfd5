package dev.s3redirect;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Signs presigned {@code GetObject} URLs with the AWS SDK's {@link S3Presigner} (SigV4, at most 7
 * days): the client downloads from S3 itself, with the credentials of the presigner and with the
 * application's {@code Content-Type} and {@code Content-Disposition} as {@code response-*}
 * overrides.
 */
public final class S3PresignedUrls implements UrlSigner {

  private final S3Presigner presigner;
  private final Predicate<S3Location> signs;

  /**
   * Signs for every object, with a presigner built like the S3 client the filter reads with
   * (region, endpoint, path style and credentials): {@code
   * S3Presigner.builder().region(...).build()}.
   *
   * @param presigner the presigner; the caller closes it
   */
  public S3PresignedUrls(S3Presigner presigner) {
    this(presigner, location -> true);
  }

  /**
   * Signs for the objects {@code signs} accepts; the others are streamed. For objects the
   * presigner's credentials or endpoint cannot reach (buckets read through another client).
   *
   * @param presigner the presigner; the caller closes it
   * @param signs which objects to sign for
   */
  public S3PresignedUrls(S3Presigner presigner, Predicate<S3Location> signs) {
    this.presigner = Objects.requireNonNull(presigner, "presigner");
    this.signs = Objects.requireNonNull(signs, "signs");
  }

  @Override
  public Optional<URI> sign(S3Location location, Duration lifetime, ResponseOverrides overrides) {
    if (!signs.test(location)) {
      return Optional.empty();
    }
    var signed =
        presigner.presignGetObject(
            presign ->
                presign
                    .signatureDuration(lifetime)
                    .getObjectRequest(
                        get ->
                            get.bucket(location.bucket())
                                .key(location.key())
                                .versionId(location.versionId())
                                .responseContentType(overrides.contentType())
                                .responseContentDisposition(overrides.contentDisposition())));
    try {
      return Optional.of(signed.url().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the presigner returned an invalid URL", e);
    }
  }
}
