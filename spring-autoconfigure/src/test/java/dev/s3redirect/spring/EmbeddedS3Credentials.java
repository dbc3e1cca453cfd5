package dev.s3redirect.spring;

import dev.s3redirect.embedded.EmbeddedS3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The credentials of an embedded S3 server, as a customizer of the client the filter builds. */
final class EmbeddedS3Credentials {

  private EmbeddedS3Credentials() {}

  static S3RedirectClientCustomizer of(EmbeddedS3Server server) {
    return builder ->
        builder.credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKey(), server.secretKey())));
  }
}
