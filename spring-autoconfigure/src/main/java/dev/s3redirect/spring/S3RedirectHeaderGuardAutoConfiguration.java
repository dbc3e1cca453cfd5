package dev.s3redirect.spring;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Makes sure a redirect header never reaches the client, whatever the s3-redirect settings: a
 * response that carries {@code X-S3-Redirect} (the header {@link S3Redirects} sets) or the
 * configured {@code s3-redirect.header-name}, and that no s3-redirect filter consumed because the
 * filter is disabled, absent, listening for another name or not applied to the request, becomes a
 * generic 500, and the log says why in one ERROR line.
 *
 * <p>Registered in every servlet web application, also with {@code s3-redirect.enabled=false}. The
 * guard is the first filter of the chain ({@link Ordered#HIGHEST_PRECEDENCE}), for the {@code
 * REQUEST}, {@code ASYNC} and {@code ERROR} dispatches; responses without the header pass through
 * it untouched and unbuffered. To remove it, exclude this auto-configuration ({@code
 * spring.autoconfigure.exclude}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(FilterRegistrationBean.class)
public class S3RedirectHeaderGuardAutoConfiguration {

  /** The guard's place in the filter chain: outside every other filter. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

  /** Name of the guard's registration bean and filter. */
  static final String NAME = "s3RedirectHeaderGuard";

  /** Creates the auto-configuration; Spring calls it. */
  public S3RedirectHeaderGuardAutoConfiguration() {}

  @Bean(name = NAME)
  FilterRegistrationBean<RedirectHeaderGuard> s3RedirectHeaderGuard(
      Environment environment, ListableBeanFactory beans) {
    var guard =
        new RedirectHeaderGuard(() -> RedirectHeaderDiagnosis.of(environment, beans, ORDER));
    var registration = new FilterRegistrationBean<>(guard);
    registration.setName(NAME);
    registration.setUrlPatterns(List.of("/*"));
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    registration.setAsyncSupported(true);
    registration.setOrder(ORDER);
    return registration;
  }
}
