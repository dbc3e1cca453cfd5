package dev.s3redirect;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.Variant;
import java.net.http.HttpClient;

/**
 * The RFC 9110 checklist against S3Proxy with the SDK engine, non-blocking writes, over HTTP/1.1.
 */
class S3ProxySdkHttpSemanticsIT extends HttpSemanticsContract {

  S3ProxySdkHttpSemanticsIT() {
    super(new Variant(Engine.SDK, WriteMode.NON_BLOCKING, HttpClient.Version.HTTP_1_1));
  }

  @Override
  S3Backend startBackend() {
    return new S3ProxyBackend();
  }
}
