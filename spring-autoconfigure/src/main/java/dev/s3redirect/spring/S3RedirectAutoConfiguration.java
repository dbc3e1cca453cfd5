package dev.s3redirect.spring;

import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.S3ObjectStore;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Registers {@link S3RedirectFilter} in servlet web applications, configured by {@link
 * S3RedirectProperties} and reading through the application's {@link S3Client} bean.
 *
 * <p>Every bean backs off when the application defines its own; {@code s3-redirect.enabled=false}
 * turns the whole configuration off.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({S3RedirectFilter.class, S3Client.class, FilterRegistrationBean.class})
@ConditionalOnProperty(
    prefix = "s3-redirect",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(S3RedirectProperties.class)
public class S3RedirectAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public S3RedirectAutoConfiguration() {}

  /**
   * The filter's settings, from the properties.
   *
   * @param properties the bound properties
   * @return the validated settings
   */
  @Bean
  @ConditionalOnMissingBean
  public S3RedirectSettings s3RedirectSettings(S3RedirectProperties properties) {
    return properties.toSettings();
  }

  /**
   * Where objects are read from: the application's S3 client.
   *
   * @param client the application's S3 client
   * @param settings the filter's settings
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(S3Client.class)
  public ObjectStore s3RedirectObjectStore(S3Client client, S3RedirectSettings settings) {
    return new S3ObjectStore(client, settings.firstByteTimeout());
  }

  /**
   * The filter's registration with the servlet container, for REQUEST and ASYNC dispatches.
   *
   * @param store where objects are read from
   * @param settings the filter's settings
   * @param listener an application-defined listener, if any
   * @param properties the bound properties
   * @return the registration
   */
  @Bean
  @ConditionalOnMissingBean(name = "s3RedirectFilterRegistration")
  @ConditionalOnBean(ObjectStore.class)
  public FilterRegistrationBean<S3RedirectFilter> s3RedirectFilterRegistration(
      ObjectStore store,
      S3RedirectSettings settings,
      ObjectProvider<S3RedirectListener> listener,
      S3RedirectProperties properties) {
    var registration =
        new FilterRegistrationBean<>(
            new S3RedirectFilter(
                store, settings, listener.getIfAvailable(() -> S3RedirectListener.NONE)));
    registration.setName("s3RedirectFilter");
    registration.setUrlPatterns(properties.getFilter().getUrlPatterns());
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.setAsyncSupported(true);
    registration.setOrder(properties.getFilter().getOrder());
    return registration;
  }
}
