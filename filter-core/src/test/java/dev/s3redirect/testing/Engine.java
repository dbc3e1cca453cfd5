package dev.s3redirect.testing;

import dev.s3redirect.store.LeanS3ObjectStore;
import dev.s3redirect.store.S3ObjectStore;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** How the filter reads S3 in the integration suites: each engine, configured alike. */
public enum Engine {
  /** {@link S3ObjectStore} on the AWS SDK's {@code S3Client} and its Apache 5 client. */
  SDK {
    @Override
    public CountingStore open(S3Backend backend, URI endpoint, StoreOptions options) {
      S3Client client = client(backend, endpoint, options);
      return new CountingStore(
          new S3ObjectStore(client, options.firstByteTimeout())
              .withCustomerKeys(options.customerKeys()),
          client);
    }
  },
  /** {@link LeanS3ObjectStore}, with its own pool. */
  LEAN {
    @Override
    public CountingStore open(S3Backend backend, URI endpoint, StoreOptions options) {
      LeanS3ObjectStore store =
          LeanS3ObjectStore.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(endpoint)
              .forcePathStyle(true)
              .credentialsProvider(credentials(backend, options))
              .maxConnections(options.maxConnections())
              .connectionAcquisitionTimeout(options.acquisitionTimeout())
              .connectTimeout(options.connectTimeout())
              .idleReadTimeout(options.idleReadTimeout())
              .firstByteTimeout(options.firstByteTimeout())
              .receiveBufferSize(options.receiveBufferSize())
              .customerKeys(options.customerKeys())
              .build();
      return new CountingStore(store, store);
    }
  };

  /**
   * Opens a store reading {@code backend} at {@code endpoint} (the server, or a relay to it).
   *
   * @return the store, counting its reads; the caller closes it
   */
  public abstract CountingStore open(S3Backend backend, URI endpoint, StoreOptions options);

  private static StaticCredentialsProvider credentials(S3Backend backend, StoreOptions options) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            backend.accessKey(),
            options.secretKey() == null ? backend.secretKey() : options.secretKey()));
  }

  private static S3Client client(S3Backend backend, URI endpoint, StoreOptions options) {
    return backend
        .clientBuilder(endpoint)
        .credentialsProvider(credentials(backend, options))
        .httpClientBuilder(
            Apache5HttpClient.builder()
                .maxConnections(options.maxConnections())
                .connectionAcquisitionTimeout(options.acquisitionTimeout())
                .connectionTimeout(options.connectTimeout())
                .socketTimeout(options.idleReadTimeout()))
        .build();
  }
}
