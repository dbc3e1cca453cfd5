package dev.s3redirect;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.Variant;
import java.net.http.HttpClient;

/** The offload contract against S3Proxy with the SDK engine and non-blocking writes. */
class S3ProxySdkOffloadIT extends OffloadContract {

  S3ProxySdkOffloadIT() {
    super(new Variant(Engine.SDK, WriteMode.NON_BLOCKING, HttpClient.Version.HTTP_1_1));
  }

  @Override
  S3Backend startBackend() {
    return new S3ProxyBackend();
  }
}
