package dev.s3redirect.testing;

import dev.s3redirect.embedded.EmbeddedS3Server;
import java.net.URI;

/** S3Proxy in this JVM: in memory, SigV4 on, loopback. */
public final class S3ProxyBackend implements S3Backend {
  private final EmbeddedS3Server server = EmbeddedS3Server.start();

  @Override
  public URI endpoint() {
    return server.endpoint();
  }

  @Override
  public String accessKey() {
    return server.accessKey();
  }

  @Override
  public String secretKey() {
    return server.secretKey();
  }

  @Override
  public boolean storesKeysWithEmptySegments() {
    return false;
  }

  @Override
  public void close() {
    server.close();
  }
}
