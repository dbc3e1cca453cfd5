package dev.s3redirect.spring;

import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * What the header guard knows of the application's s3-redirect filters: read once from the
 * application context, after the filters are registered.
 */
final class RedirectHeaderDiagnosis implements RedirectHeaderGuard.Diagnosis {

  /** One s3-redirect filter as the container runs it. */
  record Registered(
      String headerName,
      boolean enabled,
      int order,
      Collection<String> urlPatterns,
      Set<DispatcherType> dispatcherTypes) {

    boolean listensFor(String name) {
      return headerName.equalsIgnoreCase(name);
    }
  }

  private final boolean disabledByProperty;
  private final List<Registered> filters;
  private final Set<String> guarded;

  RedirectHeaderDiagnosis(
      boolean disabledByProperty,
      String configuredHeaderName,
      List<Registered> filters,
      int guardOrder) {
    this.disabledByProperty = disabledByProperty;
    this.filters = List.copyOf(filters);
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.add(S3RedirectSettings.DEFAULT_HEADER_NAME);
    if (configuredHeaderName != null && !configuredHeaderName.isBlank()) {
      names.add(configuredHeaderName.strip());
    }
    // A filter ordered no later than the guard may wrap it: what it consumes must pass through.
    for (Registered filter : this.filters) {
      if (filter.enabled() && filter.order() <= guardOrder) {
        names.removeIf(filter::listensFor);
      }
    }
    this.guarded = Collections.unmodifiableSet(names);
  }

  /**
   * Reads the s3-redirect properties and every registered s3-redirect filter.
   *
   * @param environment the application's environment
   * @param beans the application's beans, the filter registrations among them
   * @param guardOrder the guard's own place in the filter chain
   */
  static RedirectHeaderDiagnosis of(
      Environment environment, ListableBeanFactory beans, int guardOrder) {
    Binder binder = Binder.get(environment);
    boolean disabled = !binder.bind("s3-redirect.enabled", Boolean.class).orElse(Boolean.TRUE);
    String headerName = binder.bind("s3-redirect.header-name", String.class).orElse(null);
    List<Registered> filters = new ArrayList<>();
    Set<S3RedirectFilter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (FilterRegistrationBean<?> registration :
        beans.getBeansOfType(FilterRegistrationBean.class, false, false).values()) {
      if (registration.getFilter() instanceof S3RedirectFilter filter) {
        seen.add(filter);
        filters.add(
            new Registered(
                filter.settings().headerName(),
                registration.isEnabled(),
                registration.getOrder(),
                registration.getUrlPatterns().isEmpty()
                    ? List.of("/*")
                    : List.copyOf(registration.getUrlPatterns()),
                dispatcherTypes(registration)));
      }
    }
    // A bare S3RedirectFilter bean: Spring Boot registers it for /* and REQUEST dispatches.
    for (S3RedirectFilter filter :
        beans.getBeansOfType(S3RedirectFilter.class, false, false).values()) {
      if (seen.add(filter)) {
        filters.add(
            new Registered(
                filter.settings().headerName(),
                true,
                Ordered.LOWEST_PRECEDENCE,
                List.of("/*"),
                EnumSet.of(DispatcherType.REQUEST)));
      }
    }
    return new RedirectHeaderDiagnosis(disabled, headerName, filters, guardOrder);
  }

  private static Set<DispatcherType> dispatcherTypes(FilterRegistrationBean<?> registration) {
    EnumSet<DispatcherType> types = registration.determineDispatcherTypes();
    return types.isEmpty() ? EnumSet.of(DispatcherType.REQUEST) : types;
  }

  @Override
  public Collection<String> guardedNames() {
    return guarded;
  }

  @Override
  public String explain(String headerName, HttpServletRequest request) {
    List<Registered> listening = filters.stream().filter(f -> f.listensFor(headerName)).toList();
    List<Registered> enabled = filters.stream().filter(Registered::enabled).toList();
    if (enabled.isEmpty()) {
      if (!filters.isEmpty()) {
        return "but the s3-redirect filter's registration is disabled (FilterRegistrationBean"
            + " setEnabled(false)); enable it to serve the object, or do not set "
            + headerName
            + ".";
      }
      if (disabledByProperty) {
        return "but s3-redirect is disabled (s3-redirect.enabled=false); remove that setting to"
            + " serve the object, or do not set "
            + headerName
            + ".";
      }
      return "but no s3-redirect filter is registered; keep S3RedirectAutoConfiguration or"
          + " register an S3RedirectFilter, or do not set "
          + headerName
          + ".";
    }
    List<Registered> listeningEnabled = listening.stream().filter(Registered::enabled).toList();
    if (listeningEnabled.isEmpty()) {
      String names =
          enabled.stream()
              .map(Registered::headerName)
              .collect(Collectors.toCollection(LinkedHashSet::new))
              .stream()
              .collect(Collectors.joining(", "));
      return "but the s3-redirect filter listens for "
          + names
          + " (s3-redirect.header-name); set "
          + (enabled.size() == 1 ? names : "one of those")
          + " instead (S3Redirects always sets "
          + S3RedirectSettings.DEFAULT_HEADER_NAME
          + "), or leave s3-redirect.header-name at its default.";
    }
    Registered filter = listeningEnabled.get(0);
    return "but the s3-redirect filter listening for "
        + filter.headerName()
        + " does not handle this "
        + request.getDispatcherType()
        + " dispatch (url-patterns "
        + filter.urlPatterns()
        + ", dispatcher types "
        + filter.dispatcherTypes().stream()
            .map(type -> type.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(",", "[", "]"))
        + "); cover it with s3-redirect.filter.url-patterns and s3-redirect.filter.dispatcher-types"
        + " (async for DeferredResult and CompletableFuture), or do not set "
        + headerName
        + " here.";
  }
}
