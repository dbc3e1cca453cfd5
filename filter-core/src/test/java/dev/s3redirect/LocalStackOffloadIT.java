package dev.s3redirect;

import dev.s3redirect.testing.LocalStackBackend;
import dev.s3redirect.testing.RequiresDocker;
import dev.s3redirect.testing.S3Backend;

/** The offload contract against LocalStack's S3 in a container; skipped without a Docker engine. */
@RequiresDocker
class LocalStackOffloadIT extends OffloadContract {

  LocalStackOffloadIT() {
    super(
        new dev.s3redirect.testing.Variant(
            dev.s3redirect.testing.Engine.LEAN,
            S3RedirectSettings.WriteMode.NON_BLOCKING,
            java.net.http.HttpClient.Version.HTTP_1_1));
  }

  @Override
  S3Backend startBackend() {
    return new LocalStackBackend();
  }
}
