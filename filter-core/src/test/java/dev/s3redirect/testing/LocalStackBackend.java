package dev.s3redirect.testing;

import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack's S3 in a container; needs a Docker engine. */
public final class LocalStackBackend implements S3Backend {
  private final LocalStackContainer container =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
          .withServices("s3");

  public LocalStackBackend() {
    container.start();
  }

  @Override
  public URI endpoint() {
    return container.getEndpoint();
  }

  @Override
  public String accessKey() {
    return container.getAccessKey();
  }

  @Override
  public String secretKey() {
    return container.getSecretKey();
  }

  @Override
  public void close() {
    container.stop();
  }
}
