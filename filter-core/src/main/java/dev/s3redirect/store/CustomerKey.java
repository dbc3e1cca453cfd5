package dev.s3redirect.store;

import java.util.Base64;
import software.amazon.awssdk.utils.Md5Utils;

/**
 * A customer-provided encryption key (SSE-C): the AES-256 key an object was stored with, which S3
 * needs on every read of it. The filter sends it to S3 in the three {@code
 * x-amz-server-side-encryption-customer-*} request headers and nowhere else: {@link #toString()}
 * shows neither the key nor its digest, and no log line, event or error body of the filter contains
 * them.
 */
public final class CustomerKey {

  private static final String AES256 = "AES256";
  private static final int AES256_KEY_BYTES = 32;

  private final String keyBase64;
  private final String keyMd5Base64;

  private CustomerKey(byte[] key) {
    this.keyBase64 = Base64.getEncoder().encodeToString(key);
    this.keyMd5Base64 = Md5Utils.md5AsBase64(key);
  }

  /**
   * Returns an AES-256 key.
   *
   * @param key the 32 bytes of the key; copied
   * @return the key
   * @throws IllegalArgumentException if the key is not 32 bytes long
   */
  public static CustomerKey aes256(byte[] key) {
    if (key == null || key.length != AES256_KEY_BYTES) {
      throw new IllegalArgumentException(
          "an AES-256 customer key has 32 bytes, this one has "
              + (key == null ? "none" : key.length));
    }
    return new CustomerKey(key.clone());
  }

  /** The algorithm S3 is told: {@code AES256}, the only one S3 accepts for SSE-C. */
  String algorithm() {
    return AES256;
  }

  /** The key, base64-encoded, as S3 expects it. */
  String keyBase64() {
    return keyBase64;
  }

  /** The base64-encoded MD5 digest of the key, with which S3 checks it arrived intact. */
  String keyMd5Base64() {
    return keyMd5Base64;
  }

  /** Names the algorithm only. */
  @Override
  public String toString() {
    return "CustomerKey[AES256, not shown]";
  }
}
