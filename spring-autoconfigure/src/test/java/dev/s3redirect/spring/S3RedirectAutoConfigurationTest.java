package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.ObjectStore;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3RedirectAutoConfigurationTest {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
          .withUserConfiguration(ClientConfiguration.class);

  @Configuration(proxyBeanMethods = false)
  static class ClientConfiguration {
    @Bean(destroyMethod = "close")
    S3Client s3Client() {
      return S3Client.builder().region(Region.US_EAST_1).build();
    }
  }

  @Test
  void registersTheFilterFromProperties() {
    web.withPropertyValues(
            "s3-redirect.allow=media/public/,archive",
            "s3-redirect.header-name=X-Object",
            "s3-redirect.buffer-size=128KB",
            "s3-redirect.first-byte-timeout=3s",
            "s3-redirect.access-denied-status=404",
            "s3-redirect.default-cache-control=private, max-age=60",
            "s3-redirect.max-ranges=4",
            "s3-redirect.filter.url-patterns=/files/*",
            "s3-redirect.filter.order=7")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(ObjectStore.class);
              S3RedirectSettings settings = context.getBean(S3RedirectSettings.class);
              assertThat(settings.headerName()).isEqualTo("X-Object");
              assertThat(settings.allowList().entries()).hasSize(2);
              assertThat(settings.bufferSize()).isEqualTo(128 * 1024);
              assertThat(settings.firstByteTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(settings.accessDeniedStatus()).isEqualTo(404);
              assertThat(settings.defaultCacheControlValue()).hasValue("private, max-age=60");
              assertThat(settings.maxRanges()).isEqualTo(4);
              @SuppressWarnings("unchecked")
              FilterRegistrationBean<S3RedirectFilter> registration =
                  context.getBean("s3RedirectFilterRegistration", FilterRegistrationBean.class);
              assertThat(registration.getUrlPatterns()).containsExactly("/files/*");
              assertThat(registration.getOrder()).isEqualTo(7);
              assertThat(registration.isAsyncSupported()).isTrue();
              assertThat(registration.getFilter().settings()).isSameAs(settings);
              assertThat(registration.determineDispatcherTypes())
                  .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
            });
  }

  @Test
  void backsOffWhenDisabled() {
    web.withPropertyValues("s3-redirect.enabled=false", "s3-redirect.allow=media")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("s3RedirectFilterRegistration")
                    .doesNotHaveBean(S3RedirectSettings.class));
  }

  @Test
  void backsOffOutsideServletWebApplications() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
        .withUserConfiguration(ClientConfiguration.class)
        .withPropertyValues("s3-redirect.allow=media")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("s3RedirectFilterRegistration"));
  }

  @Test
  void usesTheApplicationsOwnSettings() {
    web.withBean(S3RedirectSettings.class, () -> S3RedirectSettings.builder().allow("mine").build())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(S3RedirectSettings.class).allowList().entries())
                  .singleElement()
                  .hasToString("mine");
            });
  }

  @Test
  void failsAtStartupNamingTheProblemWhenNothingIsAllowed() {
    web.run(
        context ->
            assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("allowList is empty"));
    web.withPropertyValues("s3-redirect.allow=not a bucket")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("s3-redirect.*")
                    .hasStackTraceContaining("'not a bucket'"));
    web.withPropertyValues("s3-redirect.allow=media", "s3-redirect.buffer-size=-1B")
        .run(context -> assertThat(context).getFailure().hasStackTraceContaining("bufferSize"));
  }

  @Test
  void waitsForAnS3ClientWithoutFailing() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
        .withPropertyValues("s3-redirect.allow=media")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("s3RedirectFilterRegistration"));
  }
}
