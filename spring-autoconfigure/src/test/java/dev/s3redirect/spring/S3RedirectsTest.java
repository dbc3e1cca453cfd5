package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.s3redirect.S3Location;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

class S3RedirectsTest {
  private static final S3Location OBJECT = S3Location.of("media", "été/a b+c?.pdf");

  @Test
  void namesTheObjectInTheEncodedHeader() {
    ResponseEntity<Void> answer = S3Redirects.to(OBJECT);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(answer.getHeaders().getValuesAsList("X-S3-Redirect"))
        .containsExactly("s3://media/%C3%A9t%C3%A9/a%20b%2Bc%3F.pdf");
    assertThat(S3Location.parse(answer.getHeaders().getFirst("X-S3-Redirect"))).isEqualTo(OBJECT);
    assertThat(answer.getBody()).isNull();
  }

  @Test
  void keepsTheVersion() {
    assertThat(S3Redirects.to(OBJECT.withVersionId("v 1")).getHeaders().getFirst("X-S3-Redirect"))
        .endsWith("?versionId=v%201");
  }

  @Test
  void asksTheClientToSaveUnderAFileName() {
    ResponseEntity<Void> answer = S3Redirects.attachment(OBJECT, "rapport d'été.pdf");

    assertThat(answer.getHeaders().getFirst("Content-Disposition"))
        .isEqualTo(
            "attachment; filename=\"rapport d'_t_.pdf\";"
                + " filename*=UTF-8''rapport%20d%27%C3%A9t%C3%A9.pdf");
    assertThat(answer.getHeaders().getFirst("X-S3-Redirect")).startsWith("s3://media/");
  }

  @Test
  void refusesABlankFileName() {
    assertThatIllegalArgumentException().isThrownBy(() -> S3Redirects.attachment(OBJECT, " "));
  }

  @Test
  void letsTheApplicationAddHeadersOfItsOwn() {
    ResponseEntity<Void> answer =
        S3Redirects.ok(OBJECT).header("Cache-Control", "private, max-age=60").build();

    assertThat(answer.getHeaders().getFirst("Cache-Control")).isEqualTo("private, max-age=60");
    assertThat(answer.getHeaders().getFirst("X-S3-Redirect")).startsWith("s3://media/");
  }
}
