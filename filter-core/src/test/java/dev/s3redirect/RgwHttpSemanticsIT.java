package dev.s3redirect;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.RgwBackend;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.Variant;
import java.net.http.HttpClient;

/**
 * The RFC 9110 checklist against Ceph RGW, a second S3 implementation, with the defaults: the lean
 * engine, non-blocking writes, over HTTP/1.1.
 */
class RgwHttpSemanticsIT extends HttpSemanticsContract {

  RgwHttpSemanticsIT() {
    super(new Variant(Engine.LEAN, WriteMode.NON_BLOCKING, HttpClient.Version.HTTP_1_1));
  }

  @Override
  S3Backend startBackend() {
    return RgwBackend.shared();
  }
}
