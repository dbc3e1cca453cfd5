package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class S3RedirectAutoConfigurationTest {

  private static final String FILTER = "s3RedirectFilterRegistration";
  private static final String BUILT_CLIENT = "s3RedirectS3Client";

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  S3RedirectAutoConfiguration.class, S3RedirectMetricsAutoConfiguration.class))
          .withPropertyValues("s3-redirect.allow=media", "s3-redirect.s3.region=eu-west-1");

  @SuppressWarnings("unchecked")
  private static FilterRegistrationBean<S3RedirectFilter> registration(
      org.springframework.context.ApplicationContext context) {
    return context.getBean(FILTER, FilterRegistrationBean.class);
  }

  /** An application's S3 client that records the operations asked of it, and whether closed. */
  static final class RecordingS3Client {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final S3Client client =
        (S3Client)
            Proxy.newProxyInstance(
                S3Client.class.getClassLoader(),
                new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  return switch (method.getName()) {
                    case "headObject" ->
                        args[0] instanceof HeadObjectRequest
                            ? HeadObjectResponse.builder().contentLength(3L).eTag("\"e\"").build()
                            : null;
                    case "serviceName" -> "s3";
                    case "toString" -> "RecordingS3Client";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                  };
                });
  }

  @Nested
  class RegistersTheFilter {

    @Test
    void withThePropertiesValues() {
      web.withPropertyValues(
              "s3-redirect.allow=media/public/,archive",
              "s3-redirect.header-name=X-Object",
              "s3-redirect.buffer-size=128KB",
              "s3-redirect.first-byte-timeout=3s",
              "s3-redirect.access-denied-status=404",
              "s3-redirect.default-cache-control=private, max-age=60",
              "s3-redirect.max-ranges=4",
              "s3-redirect.filter.url-patterns=/files/*,/media/*",
              "s3-redirect.filter.order=7",
              "s3-redirect.filter.dispatcher-types=request,async,error")
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(ObjectStore.class);
                S3RedirectSettings settings = context.getBean(S3RedirectSettings.class);
                assertThat(settings.headerName()).isEqualTo("X-Object");
                assertThat(settings.allowList().entries())
                    .map(Object::toString)
                    .containsExactly("media/public/", "archive");
                assertThat(settings.bufferSize()).isEqualTo(128 * 1024);
                assertThat(settings.firstByteTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(settings.accessDeniedStatus()).isEqualTo(404);
                assertThat(settings.defaultCacheControlValue()).hasValue("private, max-age=60");
                assertThat(settings.maxRanges()).isEqualTo(4);
                var registration = registration(context);
                assertThat(registration.getUrlPatterns()).containsExactly("/files/*", "/media/*");
                assertThat(registration.getOrder()).isEqualTo(7);
                assertThat(registration.isAsyncSupported()).isTrue();
                assertThat(registration.getFilter().settings()).isSameAs(settings);
                assertThat(registration.determineDispatcherTypes())
                    .containsExactlyInAnyOrder(
                        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
              });
    }

    @Test
    void withTheCoresDefaultsEverywhereElse() {
      web.run(
          context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(S3RedirectSettings.class))
                .isEqualTo(S3RedirectSettings.builder().allow("media").build());
            var registration = registration(context);
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 20);
            assertThat(registration.determineDispatcherTypes())
                .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
          });
    }
  }

  @Nested
  class TheS3Client {

    @Test
    void isTheApplicationsWhenItHasOne() {
      var app = new RecordingS3Client();
      web.withPropertyValues("s3-redirect.s3.engine=sdk")
          .withBean(
              "applicationS3Client",
              S3Client.class,
              () -> app.client,
              definition -> definition.setDestroyMethodName(""))
          .withBean(S3RedirectClientCustomizer.class, () -> builder -> app.calls.add("customized"))
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(S3Client.class);
                assertThat(context).doesNotHaveBean(BUILT_CLIENT);
                context.getBean(ObjectStore.class).head(S3Location.of("media", "a.txt"));
                assertThat(app.calls)
                    .as("asked of the client, besides its configuration for the startup line")
                    .filteredOn(call -> !call.equals("serviceClientConfiguration"))
                    .containsExactly("headObject");
              });
      assertThat(app.calls).as("the application's client is not closed").doesNotContain("close");
    }

    @Test
    void theLeanEngineTakesTheApplicationsClientsEndpointAndCredentials() {
      S3Client application =
          S3Client.builder()
              .region(software.amazon.awssdk.regions.Region.EU_WEST_3)
              .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
              .forcePathStyle(true)
              .credentialsProvider(
                  software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                      software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                          "app-key", "app-secret")))
              .build();
      web.withPropertyValues("s3-redirect.first-byte-timeout=1s")
          .withBean(
              "applicationS3Client",
              S3Client.class,
              () -> application,
              definition -> definition.setDestroyMethodName(""))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                ObjectStore store = context.getBean(ObjectStore.class);
                assertThat(store).isInstanceOf(dev.s3redirect.store.LeanS3ObjectStore.class);
                // Nothing listens on port 9: the lean engine tried the application's endpoint.
                assertThatThrownBy(() -> store.head(S3Location.of("media", "a.txt")))
                    .isInstanceOf(dev.s3redirect.store.ObjectStoreException.class)
                    .hasMessageContaining("127.0.0.1:9");
              });
      application.close();
    }

    @Test
    void isBuiltFromThePropertiesWhenTheApplicationHasNone() {
      web.withPropertyValues(
              "s3-redirect.s3.region=eu-central-1",
              "s3-redirect.s3.endpoint=http://127.0.0.1:9000",
              "s3-redirect.s3.path-style=true",
              "s3-redirect.s3.checksums=when-required",
              "s3-redirect.s3.max-connections=7",
              "s3-redirect.s3.connection-timeout=1s",
              "s3-redirect.s3.socket-timeout=5s")
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(S3Client.class);
                var configuration =
                    context.getBean(BUILT_CLIENT, S3Client.class).serviceClientConfiguration();
                assertThat(configuration.region()).isEqualTo(Region.EU_CENTRAL_1);
                assertThat(configuration.endpointOverride())
                    .hasValue(URI.create("http://127.0.0.1:9000"));
                var definition = context.getBeanFactory().getBeanDefinition(BUILT_CLIENT);
                assertThat(definition.getDestroyMethodName())
                    .as("the client it built is closed with the context")
                    .isEqualTo("close");
              });
    }

    @Test
    void signsWithStaticCredentialsWhenBothKeysAreSet() {
      web.withPropertyValues(
              "s3-redirect.s3.access-key=AKIDEXAMPLE", "s3-redirect.s3.secret-key=wJalrEXAMPLE")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                AwsCredentialsIdentity credentials = credentials(context);
                assertThat(credentials.accessKeyId()).isEqualTo("AKIDEXAMPLE");
                assertThat(credentials.secretAccessKey()).isEqualTo("wJalrEXAMPLE");
                assertThat(context.getBean(S3RedirectProperties.class).getS3().toString())
                    .doesNotContain("AKIDEXAMPLE", "wJalrEXAMPLE");
              });
    }

    @Test
    void bindsTheCredentialsFromEnvironmentVariables() {
      web.withInitializer(
              context ->
                  context
                      .getEnvironment()
                      .getPropertySources()
                      .addFirst(
                          new SystemEnvironmentPropertySource(
                              StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                              Map.of(
                                  "S3_REDIRECT_S3_ACCESS_KEY", "AKIDFROMENV",
                                  "S3_REDIRECT_S3_SECRET_KEY", "secretFromEnv"))))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(credentials(context).accessKeyId()).isEqualTo("AKIDFROMENV");
                assertThat(credentials(context).secretAccessKey()).isEqualTo("secretFromEnv");
              });
    }

    @ParameterizedTest(name = "{0} alone")
    @CsvSource({
      "s3-redirect.s3.access-key, AKIDEXAMPLE, s3-redirect.s3.secret-key",
      "s3-redirect.s3.secret-key, wJalrEXAMPLE, s3-redirect.s3.access-key"
    })
    void needsBothKeysAndNeverShowsEither(String given, String value, String missing) {
      web.withPropertyValues(given + "=" + value)
          .run(
              context -> {
                assertThat(context)
                    .getFailure()
                    .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .rootCause()
                    .hasMessageContaining(missing)
                    .hasMessageContaining(
                        "set both s3-redirect.s3.access-key and s3-redirect.s3.secret-key, or"
                            + " neither");
                assertThat(context.getStartupFailure()).hasStackTraceContaining(missing);
                assertThat(stackTrace(context.getStartupFailure())).doesNotContain(value);
              });
    }

    @Test
    void refusesABlankKeyWithoutShowingIt() {
      web.withPropertyValues("s3-redirect.s3.access-key=AKIDEXAMPLE", "s3-redirect.s3.secret-key= ")
          .run(
              context -> {
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("s3-redirect.s3.secret-key")
                    .hasMessageContaining("must not be blank");
                assertThat(stackTrace(context.getStartupFailure())).doesNotContain("AKIDEXAMPLE");
              });
    }

    @Test
    void isHandedToEveryCustomizerInOrderAfterTheProperties() {
      List<String> order = new CopyOnWriteArrayList<>();
      web.withBean(
              "second",
              S3RedirectClientCustomizer.class,
              () -> new SecondCustomizer(order),
              definition -> {})
          .withBean(
              "first", S3RedirectClientCustomizer.class, () -> new FirstCustomizer(order), d -> {})
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(order).containsExactly("first", "second");
                assertThat(context.getBean(S3Client.class).serviceClientConfiguration().region())
                    .as("a customizer has the last word over the properties")
                    .isEqualTo(Region.AP_SOUTHEAST_2);
              });
    }

    @Test
    void signsForUsEast1AtAnS3CompatibleEndpointWhenNoRegionIsFound() {
      Region expected;
      try {
        expected = DefaultAwsRegionProviderChain.builder().build().getRegion();
      } catch (SdkClientException none) {
        expected = Region.US_EAST_1;
      }
      Region fromTheChainOrFallback = expected;
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
          .withPropertyValues("s3-redirect.allow=media", "s3-redirect.s3.endpoint=http://s3.test")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(S3Client.class).serviceClientConfiguration().region())
                    .isEqualTo(fromTheChainOrFallback);
              });
    }

    @Test
    void withoutEndpointNorRegionFailsNamingTheRegionProperty() {
      boolean chainHasARegion;
      try {
        DefaultAwsRegionProviderChain.builder().build().getRegion();
        chainHasARegion = true;
      } catch (SdkClientException none) {
        chainHasARegion = false;
      }
      boolean expectFailure = !chainHasARegion;
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
          .withPropertyValues("s3-redirect.allow=media")
          .run(
              context -> {
                if (expectFailure) {
                  assertThat(context)
                      .getFailure()
                      .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                      .rootCause()
                      .hasMessageContaining("s3-redirect.s3.region")
                      .hasMessageContaining("AWS_REGION");
                } else {
                  assertThat(context).hasNotFailed().hasSingleBean(S3Client.class);
                }
              });
    }
  }

  private static AwsCredentialsIdentity credentials(
      org.springframework.context.ApplicationContext context) {
    return context
        .getBean(BUILT_CLIENT, S3Client.class)
        .serviceClientConfiguration()
        .credentialsProvider()
        .resolveIdentity()
        .join();
  }

  private static String stackTrace(Throwable failure) {
    var out = new java.io.StringWriter();
    failure.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  @Order(1)
  record FirstCustomizer(List<String> order) implements S3RedirectClientCustomizer {
    @Override
    public void customize(software.amazon.awssdk.services.s3.S3ClientBuilder builder) {
      order.add("first");
      builder.region(Region.US_WEST_2);
    }
  }

  @Order(2)
  record SecondCustomizer(List<String> order) implements S3RedirectClientCustomizer {
    @Override
    public void customize(software.amazon.awssdk.services.s3.S3ClientBuilder builder) {
      order.add("second");
      builder.region(Region.AP_SOUTHEAST_2);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean
    FilterRegistrationBean<S3RedirectFilter> myRegistration() {
      return new FilterRegistrationBean<>(
          new S3RedirectFilter(
              new RecordingS3Client().client, S3RedirectSettings.builder().allow("mine").build()));
    }
  }

  @Nested
  class BacksOff {

    @Test
    void whenDisabled() {
      web.withPropertyValues("s3-redirect.enabled=false", "s3-redirect.allow=")
          .withBean(SimpleMeterRegistry.class)
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .doesNotHaveBean(FILTER)
                      .doesNotHaveBean(S3RedirectSettings.class)
                      .doesNotHaveBean(S3Client.class)
                      .doesNotHaveBean(S3RedirectMetrics.class));
    }

    @Test
    void outsideServletWebApplications() {
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  S3RedirectAutoConfiguration.class, S3RedirectMetricsAutoConfiguration.class))
          .withPropertyValues("s3-redirect.allow=media", "s3-redirect.s3.region=eu-west-1")
          .withBean(SimpleMeterRegistry.class)
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .doesNotHaveBean(FILTER)
                      .doesNotHaveBean(S3Client.class)
                      .doesNotHaveBean(S3RedirectMetrics.class));
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
          .withPropertyValues("s3-redirect.allow=media", "s3-redirect.s3.region=eu-west-1")
          .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FILTER));
    }

    @Test
    void withoutTheAwsSdkOnTheClassPath() {
      web.withClassLoader(new FilteredClassLoader(S3Client.class))
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .doesNotHaveBean(FILTER)
                      .doesNotHaveBean(S3RedirectSettings.class));
    }

    @Test
    void fromTheApplicationsSettings() {
      web.withPropertyValues("s3-redirect.allow=")
          .withBean(
              S3RedirectSettings.class, () -> S3RedirectSettings.builder().allow("mine").build())
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(S3RedirectSettings.class);
                assertThat(registration(context).getFilter().settings().allowList().entries())
                    .singleElement()
                    .hasToString("mine");
              });
    }

    @Test
    void fromTheApplicationsObjectStore() {
      ObjectStore mine =
          new dev.s3redirect.store.S3ObjectStore(
              new RecordingS3Client().client, Duration.ofSeconds(1));
      web.withBean(ObjectStore.class, () -> mine)
          .run(
              context ->
                  assertThat(context).hasNotFailed().getBean(ObjectStore.class).isSameAs(mine));
    }

    @Test
    void fromTheApplicationsFilterRegistration() {
      web.withUserConfiguration(OwnRegistration.class)
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .doesNotHaveBean(FILTER)
                      .hasSingleBean(FilterRegistrationBean.class));
    }

    @Test
    void fromTheApplicationsMetrics() {
      var registry = new SimpleMeterRegistry();
      var mine = new S3RedirectMetrics(registry);
      web.withBean(MeterRegistry.class, () -> registry)
          .withBean(S3RedirectMetrics.class, () -> mine)
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .getBean(S3RedirectMetrics.class)
                      .isSameAs(mine));
    }
  }

  @Nested
  class TheHeaderGuard {
    private final WebApplicationContextRunner guarded =
        new WebApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    S3RedirectAutoConfiguration.class,
                    S3RedirectHeaderGuardAutoConfiguration.class));

    @Test
    void isRegisteredEvenWithTheFilterDisabled() {
      guarded
          .withPropertyValues("s3-redirect.enabled=false")
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .doesNotHaveBean(FILTER)
                      .hasBean(S3RedirectHeaderGuardAutoConfiguration.NAME));
    }

    @Test
    void isFirstInTheChainForRequestAsyncAndErrorDispatches() {
      guarded
          .withPropertyValues("s3-redirect.allow=media", "s3-redirect.s3.region=eu-west-1")
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasBean(FILTER);
                FilterRegistrationBean<?> guard =
                    context.getBean(
                        S3RedirectHeaderGuardAutoConfiguration.NAME, FilterRegistrationBean.class);
                assertThat(guard.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
                assertThat(guard.getOrder()).isLessThan(registration(context).getOrder());
                assertThat(guard.isAsyncSupported()).isTrue();
                assertThat(guard.getUrlPatterns()).containsExactly("/*");
                assertThat(guard.determineDispatcherTypes())
                    .containsExactlyInAnyOrder(
                        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
              });
    }

    @Test
    void isLeftOutOfOtherApplications() {
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(S3RedirectHeaderGuardAutoConfiguration.class))
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .doesNotHaveBean(S3RedirectHeaderGuardAutoConfiguration.NAME));
    }
  }

  @Nested
  class Metrics {

    @Test
    void areBoundToTheApplicationsMeterRegistry() {
      web.withBean(SimpleMeterRegistry.class)
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(S3RedirectMetrics.class);
                assertThat(
                        context
                            .getBean(MeterRegistry.class)
                            .find(S3RedirectMetrics.STREAMS_ACTIVE)
                            .gauge())
                    .isNotNull();
                assertThat(context.getBeansOfType(S3RedirectListener.class)).hasSize(1);
              });
    }

    @Test
    void areBoundToTheRegistrySpringBootsOwnMetricsConfigurationCreates() {
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BootMetrics.autoConfigurations()))
          .withConfiguration(
              AutoConfigurations.of(
                  S3RedirectAutoConfiguration.class, S3RedirectMetricsAutoConfiguration.class))
          .withPropertyValues("s3-redirect.allow=media", "s3-redirect.s3.region=eu-west-1")
          .run(
              context -> {
                assertThat(context).hasNotFailed().hasSingleBean(S3RedirectMetrics.class);
                assertThat(
                        context
                            .getBean(MeterRegistry.class)
                            .find(S3RedirectMetrics.STREAMS_ACTIVE)
                            .gauge())
                    .isNotNull();
              });
    }

    @Test
    void areLeftOutWithoutAMeterRegistry() {
      web.run(
          context ->
              assertThat(context)
                  .hasNotFailed()
                  .hasBean(FILTER)
                  .doesNotHaveBean(S3RedirectMetrics.class));
    }

    @Test
    void areLeftOutWithoutMicrometerOnTheClassPath() {
      web.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
          .run(
              context ->
                  assertThat(context)
                      .hasNotFailed()
                      .hasBean(FILTER)
                      .doesNotHaveBean(S3RedirectMetrics.class));
    }
  }

  @Nested
  class FailsAtStartupNamingTheProperty {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "s3-redirect.allow                   | ''             | at least one bucket",
          "s3-redirect.allow                   | not a bucket   | 'not a bucket'",
          "s3-redirect.allow                   | media,-bad-    | '-bad-'",
          "s3-redirect.header-name             | X Object       | header name",
          "s3-redirect.buffer-size             | -1B            | bufferSize must be between",
          "s3-redirect.buffer-size             | 32MB           | bufferSize must be between",
          "s3-redirect.first-byte-timeout      | 0s             | must be positive",
          "s3-redirect.first-byte-timeout      | -5s            | must be positive",
          "s3-redirect.access-denied-status    | 500            | 403 or 404",
          "s3-redirect.default-cache-control   | '\t'           | non-blank",
          "s3-redirect.max-ranges              | 0              | maxRanges must be between",
          "s3-redirect.filter.url-patterns     | ''             | at least one pattern",
          "s3-redirect.filter.dispatcher-types | ''             | at least one dispatcher type",
          "s3-redirect.s3.max-connections      | -1             | at least 1",
          "s3-redirect.s3.connection-timeout   | -1s            | positive duration",
          "s3-redirect.s3.socket-timeout       | 0ms            | positive duration",
          "s3-redirect.s3.endpoint             | ftp://s3.test  | http:// or https://",
          "s3-redirect.s3.region               | ' '            | must not be blank",
        })
    void whenItsValueIsInvalid(String property, String value, String reason) {
      web.withPropertyValues(property + "=" + value)
          .run(
              context -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                while (failure != null
                    && !(failure instanceof InvalidConfigurationPropertyValueException)) {
                  failure = failure.getCause();
                }
                assertThat(failure)
                    .as(
                        "an InvalidConfigurationPropertyValueException in %s",
                        context.getStartupFailure())
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class);
                var invalid = (InvalidConfigurationPropertyValueException) failure;
                assertThat(invalid.getName()).isEqualTo(property);
                assertThat(invalid.getMessage()).contains(property).contains(reason);
              });
    }

    @Test
    void whenAValueCannotBeConvertedAtAll() {
      web.withPropertyValues("s3-redirect.buffer-size=lots")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .hasStackTraceContaining("s3-redirect.buffer-size"));
    }
  }
}
