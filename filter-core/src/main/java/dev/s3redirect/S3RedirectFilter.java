package dev.s3redirect;

import dev.s3redirect.RedirectCapturingResponse.AppHeaders;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
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

  /** Seconds a client is asked to wait after S3 throttled us. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final S3RedirectSettings settings;
  private final ObjectStore store;
  private final S3RedirectListener listener;
  private final ResponseWriter writer;

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
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.writer = new ResponseWriter(settings.bufferSize());
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
    var capturing = new RedirectCapturingResponse(httpResponse, settings.headerName());
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
      finish(httpRequest, capturing);
    }
  }

  private void finishAsync(HttpServletRequest request, RedirectCapturingResponse response) {
    try {
      finish(request, response);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "asynchronous redirected response ended early", e);
    }
  }

  /** Serves the object the application named, if it named one and answered 2xx. */
  private void finish(HttpServletRequest request, RedirectCapturingResponse response)
      throws IOException {
    if (!response.hasRedirect()) {
      return;
    }
    int applicationStatus = response.getStatus();
    if (applicationStatus < 200 || applicationStatus > 299) {
      LOG.log(
          Level.DEBUG,
          "ignoring {0}: the application answered {1}",
          settings.headerName(),
          applicationStatus);
      return;
    }
    var client = (HttpServletResponse) response.getResponse();
    if (client.isCommitted()) {
      tooLate(request);
      return;
    }
    S3Location location;
    try {
      location = response.redirectLocation();
    } catch (IllegalArgumentException e) {
      LOG.log(
          Level.ERROR,
          "{0} {1}: the application set a malformed {2} header: {3}",
          request.getMethod(),
          request.getRequestURI(),
          settings.headerName(),
          e.getMessage());
      sendError(response, null, Outcome.INVALID_HEADER, 500, Duration.ZERO);
      return;
    }
    if (!settings.allowList().permits(location)) {
      LOG.log(
          Level.WARNING,
          "{0} {1}: refused {2}, which is outside the allow-list",
          request.getMethod(),
          request.getRequestURI(),
          location);
      sendError(response, location, Outcome.REFUSED, 403, Duration.ZERO);
      return;
    }
    if ("HEAD".equals(request.getMethod())) {
      serveHead(response, location);
    } else {
      serveBody(response, location);
    }
  }

  private void serveHead(RedirectCapturingResponse response, S3Location location)
      throws IOException {
    long start = System.nanoTime();
    ObjectMetadata metadata;
    try {
      metadata = store.head(new ObjectRequest(location));
    } catch (ObjectStoreException e) {
      sendUpstreamError(response, location, e, since(start));
      return;
    }
    AppHeaders app = response.takeOverForObject();
    writer.writeHeaders(
        (HttpServletResponse) response.getResponse(),
        RepresentationHeaders.forObject(app, metadata, settings.defaultCacheControlValue()),
        metadata.contentLength());
    report(new S3RedirectEvent(location, Outcome.SERVED, 200, 0, since(start)));
  }

  private void serveBody(RedirectCapturingResponse response, S3Location location)
      throws IOException {
    long start = System.nanoTime();
    ObjectContent content;
    try {
      content = store.get(new ObjectRequest(location));
    } catch (ObjectStoreException e) {
      sendUpstreamError(response, location, e, since(start));
      return;
    }
    Duration timeToFirstByte = since(start);
    ObjectMetadata metadata = content.metadata();
    long length = metadata.contentLength();
    AppHeaders app = response.takeOverForObject();
    var client = (HttpServletResponse) response.getResponse();
    writer.writeHeaders(
        client,
        RepresentationHeaders.forObject(app, metadata, settings.defaultCacheControlValue()),
        length);
    ResponseWriter.Streamed streamed = writer.copyBody(content, client, length);
    switch (streamed.ending()) {
      case COMPLETE -> {
        content.close();
        report(
            new S3RedirectEvent(
                location, Outcome.SERVED, 200, streamed.bytesSent(), timeToFirstByte));
      }
      case CLIENT_GONE -> {
        // Never close(): on a partly read body it would download the rest of the object.
        content.abort();
        LOG.log(
            Level.DEBUG,
            "client went away after {0} of {1} bytes of {2}",
            streamed.bytesSent(),
            length,
            location);
        report(
            new S3RedirectEvent(
                location, Outcome.CLIENT_ABORTED, 200, streamed.bytesSent(), timeToFirstByte));
      }
      case UPSTREAM_FAILED -> {
        content.abort();
        LOG.log(
            Level.WARNING,
            "S3 failed after {0} of {1} bytes of {2}; cutting the client''s response short",
            streamed.bytesSent(),
            length,
            location);
        report(
            new S3RedirectEvent(
                location,
                Outcome.UPSTREAM_FAILED_AFTER_COMMIT,
                200,
                streamed.bytesSent(),
                timeToFirstByte));
        // The status line and Content-Length are gone: the only honest signal left is a
        // connection that ends before Content-Length bytes. Containers abort the connection of
        // a committed response whose processing threw.
        throw new ResponseCutShortException(
            "S3 failed while the object was being streamed", streamed.failure());
      }
    }
  }

  private void sendUpstreamError(
      RedirectCapturingResponse response,
      S3Location location,
      ObjectStoreException e,
      Duration elapsed)
      throws IOException {
    var answer =
        switch (e.failure()) {
          case NOT_FOUND -> new ErrorAnswer(404, Outcome.NOT_FOUND);
          case ACCESS_DENIED ->
              new ErrorAnswer(settings.accessDeniedStatus(), Outcome.ACCESS_DENIED);
          case THROTTLED -> new ErrorAnswer(503, Outcome.UPSTREAM_FAILED);
          case TIMEOUT -> new ErrorAnswer(504, Outcome.UPSTREAM_FAILED);
          case UNAVAILABLE -> new ErrorAnswer(502, Outcome.UPSTREAM_FAILED);
        };
    Level level = answer.outcome() == Outcome.UPSTREAM_FAILED ? Level.WARNING : Level.INFO;
    LOG.log(level, "{0}: answering {1}: {2}", location, answer.status(), e.getMessage());
    sendError(response, location, answer.outcome(), answer.status(), elapsed);
  }

  /** A status and how the listener hears of it. */
  private record ErrorAnswer(int status, Outcome outcome) {}

  private void sendError(
      RedirectCapturingResponse response,
      S3Location location,
      Outcome outcome,
      int status,
      Duration elapsed)
      throws IOException {
    response.takeOverForError();
    writer.writeError(
        (HttpServletResponse) response.getResponse(),
        status,
        status == 503 ? RETRY_AFTER_SECONDS : null);
    report(new S3RedirectEvent(location, outcome, status, 0, elapsed));
  }

  private void tooLate(HttpServletRequest request) throws IOException {
    LOG.log(
        Level.ERROR,
        "{0} {1}: the application set {2} after its own response was committed; set the header"
            + " before writing a body, or enlarge the buffer with setBufferSize. Cutting the"
            + " response short.",
        request.getMethod(),
        request.getRequestURI(),
        settings.headerName());
    report(new S3RedirectEvent(null, Outcome.HEADER_TOO_LATE, 200, 0, Duration.ZERO));
    throw new ResponseCutShortException(
        "redirect header set after the response was committed", null);
  }

  /** A listener that throws must not break a download: its failure is logged, not propagated. */
  private void report(S3RedirectEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "S3RedirectListener failed on " + event.outcome(), e);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Thrown after commit so that the container aborts the client's connection. */
  private static final class ResponseCutShortException extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseCutShortException(String message, IOException cause) {
      super(message + "; response cut short", cause);
    }
  }
}
