package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NginxTest {

  /** shared/ sits beside the repository; tests run in the module folder. */
  private static final Path ANCHOR =
      Path.of("..", "..", "shared", "anchors", "nginx-x-accel-recipe.conf");

  @Test
  void theTemplateIsTheAnchorVerbatim() throws Exception {
    assumeTrue(Files.exists(ANCHOR), "shared/anchors is not beside the repository");
    assertThat(Nginx.template()).isEqualTo(Files.readString(ANCHOR));
  }

  @Test
  void fillingChangesOnlyThePorts() throws Exception {
    String template = Nginx.template();
    String config = Nginx.config(template, 8081, 8082, 8083);

    assertThat(config)
        .contains("upstream app { server 127.0.0.1:8082; keepalive 32; }")
        .contains("upstream s3  { server 127.0.0.1:8083;  keepalive 32; }")
        .contains("listen 127.0.0.1:8081;")
        .contains("proxy_set_header Host 127.0.0.1:8083;")
        .contains("proxy_buffers 32 256k;")
        .contains("worker_processes 2;")
        .doesNotContainPattern("@[A-Z_]+@");
    assertThat(
            config
                .replace("8081", "@NGINX_PORT@")
                .replace("8082", "@APP_PORT@")
                .replace("8083", "@S3_PORT@"))
        .isEqualTo(template);
  }

  @Test
  void aPlaceholderLeftOverIsAnError() {
    assertThatThrownBy(() -> Nginx.config("listen @OTHER@;", 1, 2, 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@OTHER@");
  }
}
