package dev.s3redirect.sample;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Expiring links to private objects: the application decides who may have a file and hands out a
 * link; whoever holds the link gets the file until it expires, and the filter streams it.
 *
 * <p>A link is {@code /files/private/<key>?expires=<epoch seconds>&signature=<HMAC-SHA256 of key
 * and expiry, base64url>}. The key comes from {@code sample.signing-key}; without one, a random key
 * is made at startup (links then die with the application).
 */
@Component
class SignedLinks {

  /** Where private objects live in the bucket, and where their links point. */
  static final String PRIVATE_PREFIX = "private/";

  private final byte[] secret;
  private final Clock clock;

  SignedLinks(SampleProperties properties, Clock clock) {
    String configured = properties.signingKey();
    if (configured == null || configured.isBlank()) {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
    } else {
      secret = configured.getBytes(StandardCharsets.UTF_8);
    }
    this.clock = clock;
  }

  /**
   * Returns a link to a private object that works until {@code expires}.
   *
   * @param key the object's key, which starts with {@code private/}
   * @param expires when the link stops working
   * @return the path and query of the link
   */
  String link(String key, Instant expires) {
    long seconds = expires.getEpochSecond();
    return "/files/"
        + encodePath(key)
        + "?expires="
        + seconds
        + "&signature="
        + signature(key, seconds);
  }

  /**
   * Returns a link to a private object that works for {@code lifetime} from now.
   *
   * @param key the object's key, which starts with {@code private/}
   * @param lifetime how long it works
   * @return the path and query of the link
   */
  String link(String key, Duration lifetime) {
    return link(key, clock.instant().plus(lifetime));
  }

  /**
   * Returns whether a link's parameters are genuine and not yet expired.
   *
   * @param key the object's key, which starts with {@code private/}
   * @param expires the link's {@code expires} parameter
   * @param signature the link's {@code signature} parameter
   * @return whether the link may be honoured now
   */
  boolean verify(String key, String expires, String signature) {
    if (expires == null || signature == null || !expires.matches("[0-9]{1,12}")) {
      return false;
    }
    long seconds = Long.parseLong(expires);
    byte[] expected = signature(key, seconds).getBytes(StandardCharsets.US_ASCII);
    boolean genuine =
        MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    return genuine && clock.instant().getEpochSecond() < seconds;
  }

  private String signature(String key, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Percent-encodes each path segment of a key, keeping the slashes. */
  static String encodePath(String key) {
    StringBuilder out = new StringBuilder();
    for (String segment : key.split("/", -1)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }
}
