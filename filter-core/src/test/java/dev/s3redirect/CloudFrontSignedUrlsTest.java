package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CloudFront signed URLs, checked as CloudFront checks them: the canned policy for the URL and its
 * expiry, signed with SHA-1 and RSA, verified here with the public key.
 */
class CloudFrontSignedUrlsTest {

  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  static KeyPair keys;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
  }

  static CloudFrontSignedUrls signer() {
    return new CloudFrontSignedUrls(
        "media",
        URI.create("https://d111111abcdef8.cloudfront.net/"),
        "K2JCJMDEHXQW5F",
        keys.getPrivate(),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static Map<String, String> query(URI url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return parameters;
  }

  @Test
  void theSignatureIsTheCannedPolicysAndVerifiesWithThePublicKey() throws Exception {
    URI url =
        signer()
            .sign(
                S3Location.of("media", "films/big film.mp4"),
                Duration.ofMinutes(5),
                UrlSigner.ResponseOverrides.NONE)
            .orElseThrow();

    String resource = "https://d111111abcdef8.cloudfront.net/films/big%20film.mp4";
    assertThat(url.toString()).startsWith(resource + "?");
    Map<String, String> query = query(url);
    long expires = NOW.plus(Duration.ofMinutes(5)).getEpochSecond();
    assertThat(query)
        .containsEntry("Expires", Long.toString(expires))
        .containsEntry("Key-Pair-Id", "K2JCJMDEHXQW5F")
        .containsKey("Signature");
    String policy =
        "{\"Statement\":[{\"Resource\":\""
            + resource
            + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
            + expires
            + "}}}]}";
    // CloudFront's URL-safe base64: + becomes -, = becomes _, / becomes ~.
    byte[] signature =
        Base64.getDecoder()
            .decode(query.get("Signature").replace('-', '+').replace('_', '=').replace('~', '/'));
    Signature verifier = Signature.getInstance("SHA1withRSA");
    verifier.initVerify(keys.getPublic());
    verifier.update(policy.getBytes(UTF_8));
    assertThat(verifier.verify(signature)).as("signature over the canned policy").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "another bucket, other, a.bin, ",
    "a version the distribution cannot select, media, a.bin, 3HL4kqtJlcpXroDTDmJ",
  })
  void whatTheDistributionCannotServeIsStreamed(String why, String bucket, String key, String v) {
    S3Location location =
        v == null ? S3Location.of(bucket, key) : S3Location.of(bucket, key).withVersionId(v);

    assertThat(signer().sign(location, Duration.ofMinutes(5), UrlSigner.ResponseOverrides.NONE))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "a/b/c.txt, a/b/c.txt",
    "sp ace, sp%20ace",
    "ü, %C3%BC",
    "q?x#y, q%3Fx%23y",
    "100%, 100%25",
    "~._-, ~._-",
  })
  void keysAreEncodedAsPaths(String key, String path) {
    assertThat(CloudFrontSignedUrls.encodePath(key)).isEqualTo(path);
  }

  @Test
  void aPemFileIsReadOnceAndSignsTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path pem = dir.resolve("key.pem");
    java.nio.file.Files.writeString(
        pem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    var fromFile =
        CloudFrontSignedUrls.fromPemFile(
            "media", URI.create("https://d111111abcdef8.cloudfront.net"), "K2JCJMDEHXQW5F", pem);

    assertThat(
            fromFile.sign(
                S3Location.of("media", "a.bin"),
                Duration.ofMinutes(5),
                UrlSigner.ResponseOverrides.NONE))
        .hasValueSatisfying(url -> assertThat(query(url)).containsKey("Signature"));
    java.nio.file.Files.writeString(pem, "not a key");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                CloudFrontSignedUrls.fromPemFile(
                    "media", URI.create("https://d.cloudfront.net"), "K", pem))
        .withMessageContaining("key.pem");
  }
}
