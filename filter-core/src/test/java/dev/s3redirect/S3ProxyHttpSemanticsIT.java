package dev.s3redirect;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import dev.s3redirect.testing.Variant;
import java.net.http.HttpClient;

/**
 * The RFC 9110 checklist against S3Proxy embedded in this JVM (in memory, SigV4 on), with the
 * defaults: the lean engine, non-blocking writes, over HTTP/1.1.
 */
class S3ProxyHttpSemanticsIT extends HttpSemanticsContract {

  S3ProxyHttpSemanticsIT() {
    super(new Variant(Engine.LEAN, WriteMode.NON_BLOCKING, HttpClient.Version.HTTP_1_1));
  }

  @Override
  S3Backend startBackend() {
    return new S3ProxyBackend();
  }
}
