package dev.s3redirect.spring;

import dev.s3redirect.RedirectPolicy;
import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.CustomerKeyProvider;
import dev.s3redirect.store.ObjectStore;
import java.util.EnumSet;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Registers {@link S3RedirectFilter} in servlet web applications, configured by {@link
 * S3RedirectProperties}.
 *
 * <p>The filter reads through the application's {@link S3Client} bean (for example the one Spring
 * Cloud AWS creates); without one, it builds its own from {@code s3-redirect.s3.*}, the SDK's
 * static or default credentials and every {@link S3RedirectClientCustomizer}, and closes it with
 * the context. At startup it can check that S3 lets it read every allowed bucket, and it says in
 * one INFO line what is served from where. Every {@link S3RedirectListener} bean hears of every
 * redirected response. Every bean backs off when the application defines its own; {@code
 * s3-redirect.enabled=false} turns the whole configuration off.
 */
@AutoConfiguration(afterName = "io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({S3RedirectFilter.class, S3Client.class, FilterRegistrationBean.class})
@ConditionalOnProperty(
    prefix = "s3-redirect",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(S3RedirectProperties.class)
public class S3RedirectAutoConfiguration {

  /** Name of the S3 client bean built from the properties when the application has none. */
  static final String BUILT_CLIENT = "s3RedirectS3Client";

  /** Name of the object store bean, unless the application has its own. */
  static final String OBJECT_STORE = "s3RedirectObjectStore";

  /** Name of the bean that builds and owns the stores, unless the application has its own. */
  static final String OBJECT_STORES = "s3RedirectObjectStores";

  static final String REDIRECT_POLICIES = "s3RedirectPolicies";

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
   * An S3 client for applications without one: built from {@code s3-redirect.s3.*}, then handed to
   * every {@link S3RedirectClientCustomizer}. Closed with the context.
   *
   * @param properties the bound properties
   * @param customizers the application's customizers, applied in order
   * @return the client
   */
  @Bean(name = BUILT_CLIENT, destroyMethod = "close")
  @ConditionalOnMissingBean
  public S3Client s3RedirectS3Client(
      S3RedirectProperties properties, ObjectProvider<S3RedirectClientCustomizer> customizers) {
    S3ClientBuilder builder = S3ClientFactory.builder(properties.getS3());
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /**
   * At startup, before requests are accepted: with {@code s3-redirect.s3.verify-on-startup}, a
   * HeadBucket per allowed bucket (a failure stops the application, naming the bucket, the endpoint
   * and S3's answer); then one INFO line with the allow-list, the endpoint and region, and which
   * client the filter reads through.
   */
  @Bean
  @Lazy(false)
  S3RedirectStartup s3RedirectStartup(
      S3RedirectSettings settings,
      S3Client client,
      S3RedirectProperties properties,
      ListableBeanFactory beans,
      ObjectProvider<ObjectStores> stores) {
    S3RedirectStartup.Client which;
    if (!beans.containsBeanDefinition(OBJECT_STORE)) {
      which = S3RedirectStartup.Client.APPLICATIONS_STORE;
    } else if (!beans.containsBeanDefinition(BUILT_CLIENT)) {
      which = S3RedirectStartup.Client.APPLICATIONS;
    } else {
      which = S3RedirectStartup.Client.BUILT;
    }
    ObjectStores built = stores.getIfAvailable();
    return new S3RedirectStartup(
        settings,
        client,
        built == null ? java.util.Map.of() : built.routeClients(),
        which,
        properties.getS3().isVerifyOnStartup());
  }

  /**
   * The stores objects are read from, built unless the application has its own {@link ObjectStore}:
   * by default the lean engine, which takes the S3 client's region, endpoint and credentials (the
   * application's client or the one built here), keeps a pool of its own sized by {@code
   * s3-redirect.s3.*}, and leaves to the client what it does not support; with {@code
   * s3-redirect.s3.engine=sdk}, the S3 client itself. Each {@code s3-redirect.buckets.<route>}
   * entry gets a client and store of its own. A {@link CustomerKeyProvider} bean supplies the
   * customer keys (SSE-C) of every store. Closes what it built with the context.
   *
   * @param client the S3 client
   * @param settings the filter's settings
   * @param properties the bound properties
   * @param keys the application's customer-key provider, if any
   * @return the stores
   */
  @Bean(name = OBJECT_STORES, destroyMethod = "close")
  @ConditionalOnMissingBean(ObjectStore.class)
  ObjectStores s3RedirectObjectStores(
      S3Client client,
      S3RedirectSettings settings,
      S3RedirectProperties properties,
      ObjectProvider<CustomerKeyProvider> keys) {
    return ObjectStores.build(
        client, settings, properties, keys.getIfAvailable(() -> CustomerKeyProvider.NONE));
  }

  /**
   * Where objects are read from: the default store, or a {@link
   * dev.s3redirect.store.RoutingObjectStore} over it and the stores of {@code
   * s3-redirect.buckets.*}.
   *
   * @param stores the stores built from the properties
   * @return the store; closed with {@code stores}, never the application's client
   */
  @Bean(name = OBJECT_STORE, destroyMethod = "")
  @ConditionalOnMissingBean
  public ObjectStore s3RedirectObjectStore(@Qualifier(OBJECT_STORES) ObjectStores stores) {
    return stores.store();
  }

  /**
   * The redirect policy of {@code s3-redirect.redirect.*}, unless the application has a {@link
   * RedirectPolicy} bean of its own, which the filter then uses. Presigned URLs are signed like the
   * S3 client; objects of {@code s3-redirect.buckets.*} routes are streamed.
   *
   * @param properties the bound properties
   * @param client the S3 client
   * @param stores the stores built from the properties, if the application has no store of its own
   * @return the policy holder; closed with the context
   */
  @Bean(name = REDIRECT_POLICIES, destroyMethod = "close")
  @ConditionalOnMissingBean(RedirectPolicy.class)
  RedirectPolicies s3RedirectPolicies(
      S3RedirectProperties properties, S3Client client, ObjectProvider<ObjectStores> stores) {
    ObjectStores built = stores.getIfAvailable();
    return RedirectPolicies.build(
        properties, client, location -> built == null || built.readsThroughDefault(location));
  }

  /**
   * The filter's registration with the servlet container: URL patterns, order and dispatcher types
   * from {@code s3-redirect.filter.*}, asynchronous requests supported.
   *
   * @param store where objects are read from
   * @param settings the filter's settings
   * @param listeners every listener bean, told of every redirected response in order
   * @param properties the bound properties
   * @param applicationPolicy the application's redirect policy, if it has one
   * @param policies the policy built from the properties otherwise
   * @return the registration
   */
  @Bean
  @ConditionalOnMissingBean(
      value = S3RedirectFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  public FilterRegistrationBean<S3RedirectFilter> s3RedirectFilterRegistration(
      ObjectStore store,
      S3RedirectSettings settings,
      ObjectProvider<S3RedirectListener> listeners,
      S3RedirectProperties properties,
      ObjectProvider<RedirectPolicy> applicationPolicy,
      ObjectProvider<RedirectPolicies> policies) {
    S3RedirectProperties.Filter options = properties.getFilter();
    if (options.getUrlPatterns() == null || options.getUrlPatterns().isEmpty()) {
      throw S3RedirectProperties.invalid(
          "filter.url-patterns", options.getUrlPatterns(), "list at least one pattern, e.g. /*");
    }
    if (options.getDispatcherTypes() == null || options.getDispatcherTypes().isEmpty()) {
      throw S3RedirectProperties.invalid(
          "filter.dispatcher-types",
          options.getDispatcherTypes(),
          "list at least one dispatcher type, e.g. request,async");
    }
    RedirectPolicy redirects = applicationPolicy.getIfAvailable();
    if (redirects == null) {
      RedirectPolicies built = policies.getIfAvailable();
      redirects = built == null ? null : built.policy();
    }
    var filter =
        new S3RedirectFilter(
            store, settings, S3RedirectListener.all(listeners.orderedStream().toList()), redirects);
    var registration = new FilterRegistrationBean<>(filter);
    registration.setName("s3RedirectFilter");
    registration.setUrlPatterns(options.getUrlPatterns());
    registration.setDispatcherTypes(EnumSet.copyOf(options.getDispatcherTypes()));
    registration.setAsyncSupported(true);
    registration.setOrder(options.getOrder());
    return registration;
  }
}
