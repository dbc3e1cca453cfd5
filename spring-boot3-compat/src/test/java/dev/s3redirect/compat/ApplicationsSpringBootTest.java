package dev.s3redirect.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * A Spring Boot 3.5 application that adds the starter keeps its own Spring Boot and Spring
 * Framework: every Spring jar on the class path is of the application's generation, including
 * Spring Boot 4's split modules (spring-boot-web-server, spring-boot-servlet …), which Spring Boot
 * 3.5's BOM does not know and so could not manage down.
 */
class ApplicationsSpringBootTest {

  private static List<String> jarsOnTheClassPath() throws IOException {
    List<String> jars = new ArrayList<>();
    for (URL manifest :
        Collections.list(
            ApplicationsSpringBootTest.class
                .getClassLoader()
                .getResources("META-INF/MANIFEST.MF"))) {
      String url = manifest.toString();
      int end = url.indexOf(".jar!/");
      if (url.startsWith("jar:") && end > 0) {
        jars.add(url.substring(url.lastIndexOf('/', end) + 1, end + ".jar".length()));
      }
    }
    return jars;
  }

  @Test
  void theSpringBootIsTheApplicationsOwn() {
    assertThat(SpringBootVersion.getVersion())
        .isEqualTo(System.getProperty("expected.spring-boot.version"))
        .startsWith("3.5.");
    assertThat(SpringVersion.getVersion()).startsWith("6.2.");
  }

  @Test
  void everySpringJarOnTheClassPathIsOfTheApplicationsGeneration() throws IOException {
    List<String> jars = jarsOnTheClassPath();

    assertThat(jars)
        .filteredOn(jar -> jar.startsWith("spring-boot"))
        .as("Spring Boot jars")
        .isNotEmpty()
        .allMatch(jar -> jar.endsWith("-" + SpringBootVersion.getVersion() + ".jar"));
    assertThat(jars)
        .filteredOn(jar -> jar.startsWith("spring-") && !jar.startsWith("spring-boot"))
        .as("Spring Framework jars")
        .isNotEmpty()
        .allMatch(jar -> jar.endsWith("-" + SpringVersion.getVersion() + ".jar"));
  }
}
