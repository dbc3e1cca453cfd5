package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of filter-core is exactly the list in {@code public-api.txt}, and the README names
 * every type on it: a type that becomes public by accident fails the build (as OkHttp's checked-in
 * API dump does). Packages under {@code dev.s3redirect.internal} are not API.
 */
class PublicApiTest {

  @Test
  void isExactlyTheListedTypes() throws Exception {
    assertThat(publicTypes()).containsExactlyElementsOf(listed());
  }

  @Test
  void everyTopLevelTypeIsNamedInTheReadme() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    for (String type : listed()) {
      if (!type.substring(type.lastIndexOf('.') + 1).contains("$")) {
        String simpleName = type.substring(type.lastIndexOf('.') + 1);
        assertThat(readme.contains("`" + simpleName + "`")).as("README names " + type).isTrue();
      }
    }
  }

  static List<String> listed() throws IOException {
    try (InputStream in = PublicApiTest.class.getResourceAsStream("/public-api.txt")) {
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .sorted()
          .toList();
    }
  }

  /** The types a user can reach: public, in a public enclosing type, outside internal packages. */
  static List<String> publicTypes() throws IOException, URISyntaxException {
    Path classes =
        Path.of(S3RedirectFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString())
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .filter(name -> !name.startsWith("dev.s3redirect.internal."))
          .filter(name -> !name.endsWith("package-info"))
          .filter(PublicApiTest::isReachable)
          .sorted()
          .toList();
    }
  }

  private static boolean isReachable(String binaryName) {
    Class<?> type;
    try {
      type = Class.forName(binaryName, false, PublicApiTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass()) {
        return false;
      }
    }
    return true;
  }
}
