package dev.s3redirect;

import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;

/** The RFC 9110 checklist against S3Proxy embedded in this JVM (in memory, SigV4 on). */
class S3ProxyHttpSemanticsIT extends HttpSemanticsContract {

  @Override
  S3Backend startBackend() {
    return new S3ProxyBackend();
  }
}
