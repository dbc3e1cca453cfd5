package dev.s3redirect;

import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.S3ObjectStore;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * X-Sendfile for S3: when the application's response names an S3 object in the redirect header
 * (default {@code X-S3-Redirect}), the filter throws the application's body away and streams the
 * object from S3 to the client.
 *
 * <p>The header is honoured when the application's status is 2xx; it never reaches the client.
 * Headers the application set are kept ({@code Content-Type} overrides the object's; {@code
 * Content-Disposition}, {@code Cache-Control}, cookies and custom headers pass through). Objects
 * outside the {@linkplain S3RedirectSettings#allowList() allow-list} are refused with 403 before S3
 * is asked. Responses without the header pass through untouched.
 *
 * <p>Register it for the {@code REQUEST} and {@code ASYNC} dispatcher types so that asynchronous
 * responses are served too:
 *
 * <pre>{@code
 * S3RedirectSettings settings = S3RedirectSettings.builder().allow("media/public/").build();
 * servletContext.addFilter("s3Redirect", new S3RedirectFilter(s3Client, settings))
 *     .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
 * }</pre>
 */
public final class S3RedirectFilter implements Filter {

  private static final Logger LOG = System.getLogger(S3RedirectFilter.class.getName());

  private final S3RedirectSettings settings;
  private final ObjectStore store;
  private final S3RedirectListener listener;
  private final RedirectPolicy redirects;
  private final ExchangeReport.Throttle accessDeniedWarnings =
      new ExchangeReport.Throttle(Duration.ofMinutes(1));
  private final StallTimer stallTimer = new StallTimer();
  private final KnownChecksums knownChecksums = new KnownChecksums(KnownChecksums.CAPACITY);
  private volatile ResponseCutter cutter;

  /**
   * Creates a filter reading through an SDK client.
   *
   * @param client the S3 client; the filter never closes it
   * @param settings the settings
   */
  public S3RedirectFilter(S3Client client, S3RedirectSettings settings) {
    this(new S3ObjectStore(client, settings.firstByteTimeout()), settings, S3RedirectListener.NONE);
  }

  /**
   * Creates a filter.
   *
   * @param store where objects are read from
   * @param settings the settings
   * @param listener told about every redirected response
   */
  public S3RedirectFilter(
      ObjectStore store, S3RedirectSettings settings, S3RedirectListener listener) {
    this(store, settings, listener, null);
  }

  /**
   * Creates a filter that may answer with a redirect to a signed URL instead of streaming.
   *
   * @param store where objects are read from
   * @param settings the settings
   * @param listener told about every redirected response
   * @param redirects when to redirect, or {@code null} never to
   */
  public S3RedirectFilter(
      ObjectStore store,
      S3RedirectSettings settings,
      S3RedirectListener listener,
      RedirectPolicy redirects) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.redirects = redirects;
  }

  /**
   * Returns the settings this filter runs with.
   *
   * @return the settings
   */
  public S3RedirectSettings settings() {
    return settings;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest httpRequest)
        || !(response instanceof HttpServletResponse httpResponse)) {
      chain.doFilter(request, response);
      return;
    }
    if (cutter == null) {
      cutter = ResponseCutter.forContainer(httpResponse);
    }
    if (httpRequest.getAttribute(ResponseCutter.CLOSE_ON_DISPATCH) != null) {
      // A response cut short in an asynchronous cycle, dispatched back here to be closed.
      httpRequest.removeAttribute(ResponseCutter.CLOSE_ON_DISPATCH);
      cutter.closeNow(httpResponse);
      return;
    }
    var capturing =
        new RedirectCapturingResponse(
            httpResponse,
            settings.headerName(),
            List.of(settings.rateLimitHeaderName(), settings.deliveryHeaderName()));
    var finished = new AtomicBoolean();
    var capturingRequest =
        new RedirectCapturingRequest(
            httpRequest,
            capturing,
            () -> {
              if (finished.compareAndSet(false, true)) {
                finishAsync(httpRequest, capturing);
              }
            });
    chain.doFilter(capturingRequest, capturing);
    if (httpRequest.isAsyncStarted()) {
      // The application answers later: through AsyncContext.complete(), which the capturing
      // request routes back here, or through an ASYNC dispatch, which passes this filter again.
      return;
    }
    if (finished.compareAndSet(false, true)) {
      finish(httpRequest, capturing, true);
    }
  }

  private void finishAsync(HttpServletRequest request, RedirectCapturingResponse response) {
    try {
      // On the application's thread, inside its own asynchronous cycle: the body is written
      // blocking, before the application's complete() goes on.
      finish(request, response, false);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "asynchronous redirected response ended early", e);
    }
  }

  /**
   * Serves the object the application named, if it named one and answered 2xx.
   *
   * @param mayGoAsync whether this runs in a dispatch of the container's, where a non-blocking body
   *     may start an asynchronous cycle of its own
   */
  private void finish(
      HttpServletRequest request, RedirectCapturingResponse response, boolean mayGoAsync)
      throws IOException {
    Admission admission =
        Admission.decide(
            settings,
            response.redirectValue(),
            response.isAmbiguous(),
            response.getStatus(),
            response.getResponse().isCommitted());
    if (admission instanceof Admission.Serve serve) {
      Exchange exchange = exchange(request, response, serve.location(), mayGoAsync);
      if (!exchange.redirect(store, redirects)) {
        exchange.serve(store);
      }
    } else if (admission instanceof Admission.Refuse refuse) {
      exchange(request, response, refuse.location(), false).answer(refuse.answer());
    } else if (admission instanceof Admission.Ignored ignored) {
      LOG.log(
          Level.DEBUG,
          "ignoring {0}: the application answered {1}",
          settings.headerName(),
          ignored.status());
    }
  }

  private Exchange exchange(
      HttpServletRequest request,
      RedirectCapturingResponse response,
      S3Location location,
      boolean mayGoAsync) {
    return new Exchange(
        request,
        response,
        location,
        settings,
        listener,
        accessDeniedWarnings,
        mayGoAsync,
        stallTimer::get,
        cutter,
        knownChecksums);
  }

  /** Stops the timer that watches non-blocking bodies for stalled clients. */
  @Override
  public void destroy() {
    stallTimer.close();
  }
}
