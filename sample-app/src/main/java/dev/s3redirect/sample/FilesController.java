package dev.s3redirect.sample;

import dev.s3redirect.S3Location;
import dev.s3redirect.spring.S3Redirects;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's side of "the application authorises, the filter streams": it decides whether a
 * request may have an object and names it; the filter sends the bytes, ranges and all.
 */
@RestController
class FilesController {
  private final String bucket;
  private final SignedLinks links;

  FilesController(SampleProperties properties, SignedLinks links) {
    this.bucket = properties.bucket();
    this.links = links;
  }

  /**
   * Anyone may read keys under {@code public/}. With {@code ?delivery=redirect} the bytes come
   * straight from S3: the filter answers with a presigned URL instead of streaming ({@code
   * s3-redirect.redirect.rule=on-request}).
   */
  @GetMapping("/files/public/{*key}")
  ResponseEntity<?> publicFile(
      @PathVariable String key, @RequestParam(required = false) String delivery) {
    if (noKey(key)) {
      return ResponseEntity.notFound().build();
    }
    ResponseEntity<?> answer = redirect("public/" + key.substring(1));
    if ("redirect".equals(delivery) && answer.getStatusCode().is2xxSuccessful()) {
      return ResponseEntity.status(answer.getStatusCode())
          .headers(answer.getHeaders())
          .header("X-S3-Redirect-Delivery", "redirect")
          .build();
    }
    return answer;
  }

  /** Keys under {@code private/} need a genuine, unexpired signed link. */
  @GetMapping("/files/private/{*key}")
  ResponseEntity<?> privateFile(
      @PathVariable String key,
      @RequestParam(required = false) String expires,
      @RequestParam(required = false) String signature) {
    if (noKey(key)) {
      return ResponseEntity.notFound().build();
    }
    String objectKey = SignedLinks.PRIVATE_PREFIX + key.substring(1);
    if (!links.verify(objectKey, expires, signature)) {
      // The application refuses; S3 is never asked.
      return ResponseEntity.status(HttpStatus.FORBIDDEN)
          .contentType(MediaType.TEXT_PLAIN)
          .body("This link is invalid or has expired.\n");
    }
    return redirect(objectKey);
  }

  /**
   * Whether the path names no object: {@code /files/public} and {@code /files/public/} capture
   * {@code ""} and {@code "/"}.
   */
  private static boolean noKey(String capturedKey) {
    return capturedKey.length() <= 1;
  }

  private ResponseEntity<?> redirect(String objectKey) {
    S3Location location;
    try {
      location = S3Location.of(bucket, objectKey);
    } catch (IllegalArgumentException notAKey) {
      return ResponseEntity.notFound().build();
    }
    return S3Redirects.to(location);
  }
}
