package dev.s3redirect.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.spring.RedirectHeaderDiagnosis.Registered;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RedirectHeaderGuardTest {

  private static final int GUARD = S3RedirectHeaderGuardAutoConfiguration.ORDER;

  private static Registered filter(String headerName, boolean enabled, int order) {
    return new Registered(
        headerName,
        enabled,
        order,
        List.of("/files/*"),
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
  }

  private static final RedirectHeaderDiagnosis DISABLED =
      new RedirectHeaderDiagnosis(true, null, List.of(), GUARD);

  private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/files/x");
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  /** What the guard logged. */
  private List<String> logged = List.of();

  private List<String> errors = List.of();

  private void run(RedirectHeaderDiagnosis diagnosis, FilterChain chain) throws Exception {
    request.setQueryString("signature=secret");
    try (CapturedLog log = CapturedLog.of(RedirectHeaderGuard.class)) {
      new RedirectHeaderGuard(() -> diagnosis).doFilter(request, response, chain);
      logged = log.all();
      errors = log.at(Level.SEVERE);
    }
  }

  private List<String> errors() {
    return errors;
  }

  @Nested
  class AResponseWithoutTheHeader {

    @Test
    void passesThroughUntouched() throws Exception {
      run(
          DISABLED,
          (req, res) -> {
            HttpServletResponse answer = (HttpServletResponse) res;
            answer.setStatus(201);
            answer.setHeader("X-Custom", "kept");
            answer.addCookie(new Cookie("session", "s"));
            answer.setContentType("text/plain");
            answer.getWriter().write("the application's own");
          });

      assertThat(response.getStatus()).isEqualTo(201);
      assertThat(response.getHeader("X-Custom")).isEqualTo("kept");
      assertThat(response.getCookie("session")).isNotNull();
      assertThat(response.getContentAsString()).isEqualTo("the application's own");
      assertThat(logged).isEmpty();
    }

    @Test
    void isNotBuffered() throws Exception {
      AtomicInteger seenByTheContainer = new AtomicInteger(-1);
      run(
          DISABLED,
          (req, res) -> {
            res.getOutputStream().write("first".getBytes(UTF_8));
            res.getOutputStream().flush();
            seenByTheContainer.set(response.getContentAsByteArray().length);
            assertThat(response.isCommitted()).isTrue();
          });

      assertThat(seenByTheContainer).hasValue(5);
    }
  }

  @Nested
  class TheRedirectHeader {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-S3-Redirect", "x-s3-redirect", "X-S3-REDIRECT"})
    void becomesAGeneric500WithoutTheApplicationsHeadersOrBody(String name) throws Exception {
      run(
          DISABLED,
          (req, res) -> {
            HttpServletResponse answer = (HttpServletResponse) res;
            answer.setStatus(200);
            answer.setHeader("Content-Disposition", "attachment; filename=\"a.txt\"");
            answer.addHeader(name, "s3://media/a.txt");
            answer.setHeader("X-After", "ignored");
            answer.getOutputStream().write("the application's body".getBytes(UTF_8));
            answer.flushBuffer();
            answer.sendError(404);
          });

      assertThat(response.getStatus()).isEqualTo(500);
      assertThat(response.getContentAsString()).isEqualTo("Internal Server Error\n");
      assertThat(response.getContentType()).isEqualTo("text/plain;charset=utf-8");
      assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(response.getHeaderNames())
          .doesNotContain("Content-Disposition", "X-After")
          .noneMatch(header -> header.equalsIgnoreCase("X-S3-Redirect"));
      assertThat(response.isCommitted()).isTrue();
      assertThat(errors())
          .singleElement()
          .asString()
          .startsWith(
              name
                  + " set by GET /files/x but s3-redirect is disabled (s3-redirect.enabled=false);")
          .endsWith("The client got 500.")
          .doesNotContain("secret", "s3://media");
    }

    @Test
    void setThroughTheWriterToo() throws Exception {
      run(
          DISABLED,
          (req, res) -> {
            res.getWriter().write("before ");
            ((HttpServletResponse) res).setHeader("X-S3-Redirect", "s3://media/a.txt");
            res.getWriter().write("after");
          });

      assertThat(response.getStatus()).isEqualTo(500);
      assertThat(response.getContentAsString()).isEqualTo("Internal Server Error\n");
    }

    @Test
    void isLeftToAFilterThatMayWrapTheGuard() throws Exception {
      var outer =
          new RedirectHeaderDiagnosis(
              false,
              null,
              List.of(filter("X-S3-Redirect", true, Ordered.HIGHEST_PRECEDENCE)),
              GUARD);

      run(outer, (req, res) -> ((HttpServletResponse) res).setHeader("X-S3-Redirect", "s3://m/a"));

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getHeader("X-S3-Redirect")).isEqualTo("s3://m/a");
    }

    @Test
    void setAfterTheResponseWasCommittedIsDropped() throws Exception {
      run(
          DISABLED,
          (req, res) -> {
            res.getOutputStream().write("sent".getBytes(UTF_8));
            res.flushBuffer();
            ((HttpServletResponse) res).setHeader("X-S3-Redirect", "s3://media/a.txt");
          });

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getContentAsString()).isEqualTo("sent");
      assertThat(response.getHeaderNames()).noneMatch(h -> h.equalsIgnoreCase("X-S3-Redirect"));
      assertThat(errors())
          .singleElement()
          .asString()
          .contains("The response was already committed");
    }
  }

  @Test
  void theConfiguredHeaderNameIsGuardedToo() throws Exception {
    run(
        new RedirectHeaderDiagnosis(true, "X-Object", List.of(), GUARD),
        (req, res) -> ((HttpServletResponse) res).setHeader("X-Object", "media/a.txt"));

    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(response.getHeader("X-Object")).isNull();
  }

  @Nested
  class TheExplanation {

    private String explain(RedirectHeaderDiagnosis diagnosis) {
      return diagnosis.explain("X-S3-Redirect", request);
    }

    @Test
    void namesTheDisablingProperty() {
      assertThat(explain(DISABLED))
          .startsWith("but s3-redirect is disabled (s3-redirect.enabled=false);");
    }

    @Test
    void saysWhenNoFilterIsRegistered() {
      assertThat(explain(new RedirectHeaderDiagnosis(false, null, List.of(), GUARD)))
          .startsWith("but no s3-redirect filter is registered;");
    }

    @Test
    void namesTheHeaderTheFilterListensFor() {
      assertThat(
              explain(
                  new RedirectHeaderDiagnosis(
                      false, "X-Other", List.of(filter("X-Other", true, 0)), GUARD)))
          .startsWith("but the s3-redirect filter listens for X-Other (s3-redirect.header-name);")
          .contains("set X-Other instead");
    }

    @Test
    void saysWhenTheRegistrationIsDisabled() {
      assertThat(
              explain(
                  new RedirectHeaderDiagnosis(
                      false, null, List.of(filter("X-S3-Redirect", false, 0)), GUARD)))
          .startsWith("but the s3-redirect filter's registration is disabled");
    }

    @Test
    void namesTheDispatchTheFilterDoesNotHandle() {
      request.setDispatcherType(DispatcherType.ASYNC);

      assertThat(
              explain(
                  new RedirectHeaderDiagnosis(
                      false, null, List.of(filter("X-S3-Redirect", true, 0)), GUARD)))
          .startsWith(
              "but the s3-redirect filter listening for X-S3-Redirect does not handle this ASYNC"
                  + " dispatch (url-patterns [/files/*], dispatcher types [request,async]);");
    }
  }
}
