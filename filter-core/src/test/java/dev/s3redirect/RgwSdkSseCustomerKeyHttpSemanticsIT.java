package dev.s3redirect;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.RgwBackend;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.Variant;
import java.net.http.HttpClient;

/**
 * The RFC 9110 checklist against Ceph RGW with every object stored under a customer-provided key
 * (SSE-C), which RGW enforces: a single S3 request of any exchange without the key (a HeadObject, a
 * part of a multipart answer, a pinned re-read) fails the case. The SDK engine, blocking writes,
 * over HTTP/1.1.
 */
class RgwSdkSseCustomerKeyHttpSemanticsIT extends HttpSemanticsContract {

  RgwSdkSseCustomerKeyHttpSemanticsIT() {
    super(new Variant(Engine.SDK, WriteMode.BLOCKING, HttpClient.Version.HTTP_1_1));
  }

  @Override
  S3Backend startBackend() {
    return RgwBackend.shared();
  }

  @Override
  byte[] customerKey() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (7 * i + 3);
    }
    return key;
  }
}
