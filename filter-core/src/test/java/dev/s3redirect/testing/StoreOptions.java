package dev.s3redirect.testing;

import dev.s3redirect.store.CustomerKeyProvider;
import java.time.Duration;

/**
 * How a test's store reaches S3: its pool, its timeouts, and optionally a wrong secret key.
 *
 * @param maxConnections the pool size
 * @param acquisitionTimeout the longest wait for a pooled connection
 * @param connectTimeout the longest wait to connect
 * @param idleReadTimeout the longest wait for more bytes of a body
 * @param firstByteTimeout the longest wait for S3's response head, retries included
 * @param receiveBufferSize the lean engine's socket receive buffer, 0 for the system's
 * @param secretKey a secret key to sign with instead of the server's, or {@code null}
 * @param customerKeys the SSE-C keys the store sends
 */
public record StoreOptions(
    int maxConnections,
    Duration acquisitionTimeout,
    Duration connectTimeout,
    Duration idleReadTimeout,
    Duration firstByteTimeout,
    int receiveBufferSize,
    String secretKey,
    CustomerKeyProvider customerKeys) {

  /** 8 connections, 10 s to get one, 2 s to connect, 10 s idle read, 15 s to first byte. */
  public static StoreOptions defaults() {
    return new StoreOptions(
        8,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(15),
        0,
        null,
        CustomerKeyProvider.NONE);
  }

  /** These options with another pool size. */
  public StoreOptions withMaxConnections(int max) {
    return new StoreOptions(
        max,
        acquisitionTimeout,
        connectTimeout,
        idleReadTimeout,
        firstByteTimeout,
        receiveBufferSize,
        secretKey,
        customerKeys);
  }

  /** These options with another wait for a pooled connection. */
  public StoreOptions withAcquisitionTimeout(Duration timeout) {
    return new StoreOptions(
        maxConnections,
        timeout,
        connectTimeout,
        idleReadTimeout,
        firstByteTimeout,
        receiveBufferSize,
        secretKey,
        customerKeys);
  }

  /** These options with another idle-read timeout. */
  public StoreOptions withIdleReadTimeout(Duration timeout) {
    return new StoreOptions(
        maxConnections,
        acquisitionTimeout,
        connectTimeout,
        timeout,
        firstByteTimeout,
        receiveBufferSize,
        secretKey,
        customerKeys);
  }

  /** These options with another first-byte timeout. */
  public StoreOptions withFirstByteTimeout(Duration timeout) {
    return new StoreOptions(
        maxConnections,
        acquisitionTimeout,
        connectTimeout,
        idleReadTimeout,
        timeout,
        receiveBufferSize,
        secretKey,
        customerKeys);
  }

  /** These options with another socket receive buffer (lean engine). */
  public StoreOptions withReceiveBufferSize(int bytes) {
    return new StoreOptions(
        maxConnections,
        acquisitionTimeout,
        connectTimeout,
        idleReadTimeout,
        firstByteTimeout,
        bytes,
        secretKey,
        customerKeys);
  }

  /** These options signing with {@code secret} instead of the server's secret key. */
  public StoreOptions withSecretKey(String secret) {
    return new StoreOptions(
        maxConnections,
        acquisitionTimeout,
        connectTimeout,
        idleReadTimeout,
        firstByteTimeout,
        receiveBufferSize,
        secret,
        customerKeys);
  }

  /** These options sending SSE-C keys from {@code keys}. */
  public StoreOptions withCustomerKeys(CustomerKeyProvider keys) {
    return new StoreOptions(
        maxConnections,
        acquisitionTimeout,
        connectTimeout,
        idleReadTimeout,
        firstByteTimeout,
        receiveBufferSize,
        secretKey,
        keys);
  }
}
