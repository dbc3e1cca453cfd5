package dev.s3redirect.sample;

import dev.s3redirect.embedded.EmbeddedS3Server;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/** Starts an S3 server inside the application and points the S3 client at it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.s3.embedded", havingValue = "true", matchIfMissing = true)
class EmbeddedS3Configuration {

  @Bean(destroyMethod = "close")
  EmbeddedS3Server embeddedS3Server(SampleProperties properties) {
    var s3 = properties.s3();
    return EmbeddedS3Server.builder()
        .port(s3.port())
        .credentials(s3.accessKey(), s3.secretKey())
        .start();
  }

  @Bean(destroyMethod = "close")
  S3Client s3Client(EmbeddedS3Server server) {
    return server.clientBuilder().build();
  }
}
