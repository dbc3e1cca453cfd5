package dev.s3redirect.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs an {@link EmbeddedS3Server} as a process of its own, for benchmarks that must not share a
 * JVM (and its CPU accounting) with the S3 server: on a fixed port of 127.0.0.1, with fixed
 * credentials (SigV4 checked), one bucket and objects of deterministic content.
 *
 * <p>Arguments: {@code --port <port> --access-key <id> --secret-key <secret> --bucket <name>}, then
 * any number of {@code --object <key>=<bytes>:<seed>}. Each object's content is {@link
 * #content(int, long)} of its size and seed. Once every object is stored it prints {@code OBJECT
 * <key> <bytes> <sha-256 hex>} for each, then {@code READY <port>}, on standard output. It runs
 * until its standard input ends (the parent closed it, or exited) or it is killed.
 */
public final class EmbeddedS3Main {

  private EmbeddedS3Main() {}

  /**
   * Starts the server, stores the objects and serves until standard input ends.
   *
   * @param args the arguments described on the class
   * @throws Exception when the server cannot start or an object cannot be stored
   */
  public static void main(String[] args) throws Exception {
    int port = 0;
    String accessKey = null;
    String secretKey = null;
    String bucket = null;
    List<String> objects = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value);
        case "--access-key" -> accessKey = value;
        case "--secret-key" -> secretKey = value;
        case "--bucket" -> bucket = value;
        case "--object" -> objects.add(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (accessKey == null || secretKey == null || bucket == null) {
      throw new IllegalArgumentException(
          "usage: --port <port> --access-key <id> --secret-key <secret> --bucket <name>"
              + " [--object <key>=<bytes>:<seed>]...");
    }
    EmbeddedS3Server server =
        EmbeddedS3Server.builder().port(port).credentials(accessKey, secretKey).start();
    // Several SDK HTTP clients may be on the class path; any one will do for seeding.
    SdkHttpService http =
        ServiceLoader.load(SdkHttpService.class)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no SDK HTTP client on the class path"));
    List<String> lines = new ArrayList<>();
    try (SdkHttpClient httpClient = http.createHttpClientBuilder().build();
        S3Client s3 = server.clientBuilder().httpClient(httpClient).build()) {
      String name = bucket;
      s3.createBucket(b -> b.bucket(name));
      for (String spec : objects) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
          throw new IllegalArgumentException("object must be <key>=<bytes>:<seed>: " + spec);
        }
        String key = spec.substring(0, eq);
        int size = Integer.parseInt(spec.substring(eq + 1, colon));
        long seed = Long.parseLong(spec.substring(colon + 1));
        byte[] bytes = content(size, seed);
        s3.putObject(b -> b.bucket(name).key(key), RequestBody.fromBytes(bytes));
        lines.add("OBJECT " + key + " " + size + " " + sha256(bytes));
      }
    }
    lines.forEach(System.out::println);
    System.out.println("READY " + server.port());
    System.out.flush();
    CountDownLatch stdinClosed = new CountDownLatch(1);
    Thread watcher =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                  // nothing is expected on standard input; its end is the signal to stop
                }
              } catch (IOException e) {
                // treated as the end
              }
              stdinClosed.countDown();
            },
            "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    stdinClosed.await();
    server.close();
    System.exit(0);
  }

  /**
   * Returns the deterministic content of an object: {@code size} bytes from a {@link
   * SplittableRandom} seeded with {@code seed}, eight bytes per {@code nextLong()}, little-endian.
   *
   * @param size the number of bytes
   * @param seed the seed
   * @return the bytes
   */
  public static byte[] content(int size, long seed) {
    byte[] bytes = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        bytes[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return bytes;
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
