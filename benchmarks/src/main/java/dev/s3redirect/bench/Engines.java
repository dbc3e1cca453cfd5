package dev.s3redirect.bench;

import dev.s3redirect.store.LeanS3ObjectStore;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.S3ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 engines the filter can read through, by name: each name is one row ("filter,
 * &lt;label&gt;") of every side-by-side table, and one JFR profile. The filter application ({@link
 * ChildApp}) builds its {@link ObjectStore} here and nowhere else.
 *
 * <p>To add an engine, add one {@code put} to {@link #factories()}: the harness then measures it in
 * every workload (an unknown name fails at once, naming the known ones).
 */
final class Engines {

  private Engines() {}

  /** Where S3 is and how the engine's HTTP client is sized: what every engine is built from. */
  record StoreConfig(
      URI endpoint,
      Region region,
      String accessKey,
      String secretKey,
      int maxConnections,
      Duration connectionTimeout,
      Duration acquisitionTimeout,
      Duration socketTimeout,
      Duration firstByteTimeout) {

    AwsCredentialsProvider credentials() {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }
  }

  private static final Map<String, Function<StoreConfig, ObjectStore>> FACTORIES = factories();

  private static Map<String, Function<StoreConfig, ObjectStore>> factories() {
    Map<String, Function<StoreConfig, ObjectStore>> m = new LinkedHashMap<>();
    m.put("lean", Engines::lean);
    m.put("sdk", c -> new S3ObjectStore(sdkClient(c), c.firstByteTimeout()));
    return m;
  }

  /** The engines the harness measures, in table order. */
  static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /**
   * The store of the engine called {@code name}.
   *
   * @throws IllegalArgumentException for a name no engine has
   */
  static ObjectStore create(String name, StoreConfig config) {
    Function<StoreConfig, ObjectStore> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown engine '" + name + "': known engines are " + String.join(", ", names()));
    }
    return factory.apply(config);
  }

  /** The lean engine as the filter's users build it for an S3-compatible server. */
  static ObjectStore lean(StoreConfig c) {
    return LeanS3ObjectStore.builder()
        .region(c.region())
        .endpointOverride(c.endpoint())
        .forcePathStyle(true)
        .credentialsProvider(c.credentials())
        .maxConnections(c.maxConnections())
        .connectTimeout(c.connectionTimeout())
        .connectionAcquisitionTimeout(c.acquisitionTimeout())
        .idleReadTimeout(c.socketTimeout())
        .firstByteTimeout(c.firstByteTimeout())
        .receiveBufferSize(receiveBufferSize())
        .build();
  }

  /**
   * The lean engine's socket receive buffer: {@code BENCH_RECEIVE_BUFFER} (bytes) when set, else
   * the engine's default (the operating system's).
   */
  static int receiveBufferSize() {
    String bytes = System.getenv("BENCH_RECEIVE_BUFFER");
    return bytes == null || bytes.isBlank() ? 0 : Integer.parseInt(bytes.strip());
  }

  /** How an engine is named in the report: "SDK engine", "lean engine". */
  static String label(String name) {
    return (name.equals("sdk") ? "SDK" : name) + " engine";
  }

  /**
   * The SDK's synchronous client as the filter's users build it for an S3-compatible server: Apache
   * HttpClient 5 with the pool and timeouts given, path-style, checksums only where required.
   */
  static S3Client sdkClient(StoreConfig c) {
    return sdkClientBuilder(c)
        .httpClientBuilder(
            Apache5HttpClient.builder()
                .maxConnections(c.maxConnections())
                .connectionTimeout(c.connectionTimeout())
                .connectionAcquisitionTimeout(c.acquisitionTimeout())
                .socketTimeout(c.socketTimeout()))
        .build();
  }

  /** {@link #sdkClient} without its HTTP client, for the HTTP-client comparison. */
  static S3ClientBuilder sdkClientBuilder(StoreConfig c) {
    return S3Client.builder()
        .endpointOverride(c.endpoint())
        .forcePathStyle(true)
        .region(c.region())
        .credentialsProvider(c.credentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }
}
