package dev.s3redirect;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.Variant;
import java.net.http.HttpClient;

/**
 * The RFC 9110 checklist against S3Proxy with the SDK engine, blocking writes, over HTTP/2 (h2c).
 */
class S3ProxySdkBlockingHttp2HttpSemanticsIT extends HttpSemanticsContract {

  S3ProxySdkBlockingHttp2HttpSemanticsIT() {
    super(new Variant(Engine.SDK, WriteMode.BLOCKING, HttpClient.Version.HTTP_2));
  }

  @Override
  S3Backend startBackend() {
    return new S3ProxyBackend();
  }
}
