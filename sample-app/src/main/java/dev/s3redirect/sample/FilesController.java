package dev.s3redirect.sample;

import dev.s3redirect.S3Location;
import dev.s3redirect.spring.S3Redirects;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Public files: anyone may read keys under {@code public/}. The controller only decides and names
 * the object; the filter streams it.
 */
@RestController
class FilesController {
  private final String bucket;

  FilesController(SampleProperties properties) {
    this.bucket = properties.bucket();
  }

  @GetMapping("/files/public/{*key}")
  ResponseEntity<Void> publicFile(@PathVariable String key) {
    S3Location location;
    try {
      location = S3Location.of(bucket, "public/" + key.substring(1));
    } catch (IllegalArgumentException notAKey) {
      return ResponseEntity.notFound().build();
    }
    return S3Redirects.to(location);
  }
}
