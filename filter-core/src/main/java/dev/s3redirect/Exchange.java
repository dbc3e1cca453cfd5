package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.internal.http.ConditionalRequest;
import dev.s3redirect.internal.http.ReprDigests;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One redirected response being answered, in one straight line: the {@link ExchangePlanner}
 * decides, the {@link ExchangeDriver} asks the store what it decides to ask, the {@link
 * AnswerWriter} takes the response over and a body writer sends the object ({@link
 * NonBlockingBodyWriter} where the container allows it, else {@link BlockingBodyWriter}), and the
 * {@link ExchangeReport} tells the listener and the log how it ended, exactly once.
 */
final class Exchange {

  private final HttpServletRequest request;
  private final RedirectCapturingResponse response;
  private final S3Location location;
  private final S3RedirectSettings settings;
  private final ExchangeReport report;
  private final AnswerWriter writer;
  private final boolean mayGoAsync;
  private final Supplier<ScheduledExecutorService> timer;
  private final ResponseCutter cutter;
  private final KnownChecksums knownChecksums;
  private ResponseCutter.Handle cut;

  /**
   * Creates the exchange for one response.
   *
   * @param request the request, as the filter received it
   * @param response the application's response
   * @param location the object, or {@code null} if the application's header was malformed
   * @param settings the filter's settings
   * @param listener the filter's listener
   * @param accessDenied throttles the access-denied warning
   * @param mayGoAsync whether the filter runs in the container's own dispatch, where it may start
   *     an asynchronous cycle of its own for a non-blocking body
   * @param timer the stall timer of non-blocking bodies
   * @param cutter ends a response cut short, as the container allows
   * @param knownChecksums the filter's memory of objects' checksums, for partial answers' digests
   */
  Exchange(
      HttpServletRequest request,
      RedirectCapturingResponse response,
      S3Location location,
      S3RedirectSettings settings,
      S3RedirectListener listener,
      ExchangeReport.Throttle accessDenied,
      boolean mayGoAsync,
      Supplier<ScheduledExecutorService> timer,
      ResponseCutter cutter,
      KnownChecksums knownChecksums) {
    this.request = request;
    this.response = response;
    this.location = location;
    this.settings = settings;
    this.mayGoAsync = mayGoAsync;
    this.timer = timer;
    this.cutter = cutter;
    this.knownChecksums = knownChecksums;
    this.report =
        ExchangeReport.start(
            request.getMethod(), request.getRequestURI(), location, listener, accessDenied);
    this.writer =
        new AnswerWriter(
            response,
            settings.defaultCacheControlValue(),
            settings.bufferSize(),
            settings.errorPages() == S3RedirectSettings.ErrorPages.APPLICATION,
            ReprDigests.parseWant(Collections.list(request.getHeaders("Want-Repr-Digest"))),
            ReprDigests.parseWant(Collections.list(request.getHeaders("Want-Content-Digest"))));
  }

  /**
   * Remembers the checksums S3 sent with a whole answer (it asked for them; none is an answer too),
   * for the ranges of the same object version that follow. The driver shows every HEAD's.
   */
  private void learnChecksums(Answer answer) {
    if (answer instanceof Answer.ObjectBody body && body.status() == 200) {
      knownChecksums.learn(location, body.body().metadata());
    }
  }

  /** Answers with the object, or with what S3's answers and the request's headers say. */
  void serve(ObjectStore store) throws IOException {
    var planner =
        new ExchangePlanner(
            location,
            ConditionalRequest.parse(
                request.getMethod(), name -> Collections.list(request.getHeaders(name))),
            response.applicationHeaders(),
            settings.maxRanges(),
            settings.accessDeniedStatus());
    var driver = new ExchangeDriver(store, head -> knownChecksums.learn(location, head));
    boolean handedOff = false;
    try {
      // Several ranges start with a HeadObject of the planner's own, which teaches the same.
      if (writer.mayNeedChecksumsOfRanges(request.getMethod(), request.getHeader("Range") != null)
          && !(planner.start() instanceof Step.Head)
          && !knownChecksums.knows(location)) {
        driver.headForChecksums(location);
      }
      Answer answer = driver.decide(planner);
      learnChecksums(answer);
      if (!(answer instanceof Answer.ObjectBody || answer instanceof Answer.ObjectParts)) {
        end(driver, write(answer));
        return;
      }
      ObjectContent first =
          answer instanceof Answer.ObjectBody body
              ? body.body()
              : ((Answer.ObjectParts) answer).first();
      Optional<ObjectMetadata> checksums =
          writer.needsChecksumsFor(answer)
              ? knownChecksums.of(location, first.metadata().eTag())
              : Optional.empty();
      AnswerWriter.ObjectStart start =
          writer.startObject(
              answer,
              driver.parts(planner),
              ExchangePlanner.canResume(first.metadata()),
              checksums);
      // After the takeover, whose reset would forget it; before the first byte commits.
      cut = cutter.prepare(request, writer.client());
      report.bodyStarted();
      long rate = rateLimit();
      AsyncContext async = fitsTheBuffer(start, rate) ? null : startAsync();
      if (async != null) {
        new NonBlockingBodyWriter(
                async,
                writer,
                start,
                settings.bufferSize(),
                pacer(rate),
                settings.stallTimeout(),
                store::isContended,
                timer.get(),
                result -> endAsync(driver, result, async),
                report.describe())
            .start();
        handedOff = true;
        return;
      }
      end(
          driver,
          BlockingBodyWriter.write(
              writer, start, settings.bufferSize(), pacer(rate), store::isContended));
    } finally {
      if (!handedOff) {
        // Whatever ended the exchange, no S3 body stays open, and none is drained.
        driver.abortUnreleased();
      }
    }
  }

  /**
   * Answers with a redirect to a signed URL instead of the object, if the policy or the
   * application's delivery header says so and the object allows it.
   *
   * @param store the store, asked whether the object takes a customer key and, for a size rule, for
   *     the object's size
   * @param policy the filter's redirect policy, or {@code null}
   * @return whether the exchange was answered
   */
  boolean redirect(ObjectStore store, RedirectPolicy policy) throws IOException {
    String header = settings.deliveryHeaderName();
    String value = response.companionValue(header);
    Delivery.Asked asked = Delivery.Asked.of(value);
    if (asked == Delivery.Asked.INVALID) {
      report.misconfigured(header + " \"" + value + "\" is neither redirect nor stream: ignored");
    } else if (asked == Delivery.Asked.REDIRECT && policy == null) {
      report.misconfigured(
          header + " asks for a redirect, but the filter has no redirect policy: streamed");
    }
    boolean hasRange = request.getHeader("Range") != null;
    Delivery delivery =
        Delivery.decide(
            policy,
            request.getMethod(),
            hasRange,
            asked,
            policy != null && store.hasCustomerKey(location),
            OptionalLong.empty());
    if (delivery == Delivery.NEEDS_SIZE) {
      try {
        long size = store.head(location).contentLength();
        delivery =
            Delivery.decide(
                policy, request.getMethod(), hasRange, asked, false, OptionalLong.of(size));
      } catch (ObjectStoreException e) {
        // Streaming answers the failure as it should be answered.
        delivery = Delivery.STREAM;
      }
    }
    if (delivery != Delivery.REDIRECT) {
      return false;
    }
    AppHeaders app = response.applicationHeaders();
    List<String> disposition = app.kept().getOrDefault("Content-Disposition", List.of());
    Optional<URI> url;
    try {
      url =
          policy
              .signer()
              .sign(
                  location,
                  policy.lifetime(),
                  new UrlSigner.ResponseOverrides(
                      app.contentType(), disposition.isEmpty() ? null : disposition.get(0)));
    } catch (RuntimeException e) {
      report.misconfigured("could not sign a URL, streamed instead: " + e);
      return false;
    }
    if (url.isEmpty()) {
      return false;
    }
    end(null, write(new Answer.Redirect(policy.status(), url.get())));
    return true;
  }

  /** Gives an answer decided without asking S3. */
  void answer(Answer answer) throws IOException {
    if (answer instanceof Answer.CutShort) {
      // The application's own bytes went out, perhaps without a Content-Length that would show
      // them short: only an exception out of the filter makes the container abort them.
      cut = inAsyncCycle -> ResponseCutter.Then.THROW;
    }
    end(null, write(answer));
  }

  /**
   * Returns the rate the body is sent at, in bytes per second, 0 for no limit: the application's
   * for this response, else the configured default. A value that is not a rate is misconfiguration:
   * logged, and the default applies.
   */
  private long rateLimit() {
    String value = response.companionValue(settings.rateLimitHeaderName());
    var rate = RatePacer.rate(value, settings.rateLimit());
    if (rate.isEmpty()) {
      report.invalidRateLimit(settings.rateLimitHeaderName(), value, settings.rateLimit());
      return settings.rateLimit();
    }
    return rate.getAsLong();
  }

  private RatePacer pacer(long rate) {
    return rate == 0 ? null : new RatePacer(rate, settings.rateLimitBurst(), System.nanoTime());
  }

  /**
   * Whether the whole body fits in the container's response buffer, enlarged up to the filter's
   * buffer size: then it is copied there in one pass, which never waits for the client (the
   * container sends it after the filter returns), and an asynchronous cycle would only cost time. A
   * rate-limited body is paced unless it fits in the burst.
   */
  private boolean fitsTheBuffer(AnswerWriter.ObjectStart start, long rate) {
    if (start.length() > settings.bufferSize()
        || (rate > 0 && start.length() > settings.rateLimitBurst())) {
      return false;
    }
    HttpServletResponse client = writer.client();
    if (client.getBufferSize() < start.length()) {
      client.setBufferSize((int) start.length());
    }
    return true;
  }

  /**
   * Starts an asynchronous cycle of the filter's own for a non-blocking body, where the settings,
   * the container and the filter chain allow it; returns {@code null} to write blocking instead.
   */
  private AsyncContext startAsync() {
    if (!mayGoAsync
        || settings.writeMode() != WriteMode.NON_BLOCKING
        || !request.isAsyncSupported()
        || request.isAsyncStarted()) {
      return null;
    }
    try {
      AsyncContext async = request.startAsync(request, response.getResponse());
      // The download lasts as long as its client takes: a client that stops reading is ended by
      // the container's idle or write timeout, not by the asynchronous cycle's.
      async.setTimeout(0);
      return async;
    } catch (IllegalStateException e) {
      return null;
    }
  }

  private ExchangeResult write(Answer answer) {
    try {
      return writer.writeWithoutBody(answer);
    } catch (IOException e) {
      // Writing an answer without an object body failed: the client went away.
      return new ExchangeResult(
          Outcome.CLIENT_ABORTED,
          writer.client().getStatus(),
          0,
          "the client went away: " + e.getMessage());
    }
  }

  /**
   * Ends an exchange that ran in the request's own dispatch or on the application's thread: a
   * response cut short is ended as the container needs (see {@link ResponseCutter}).
   */
  private void end(ExchangeDriver driver, ExchangeResult result) throws IOException {
    report.end(result, driver == null ? Duration.ZERO : driver.timeToFirstByte());
    if (result.cutShort()) {
      switch (cut.cut(!mayGoAsync)) {
        case THROW -> throw new ResponseCutShortException(result.detail());
        case DISPATCH -> request.setAttribute(ResponseCutter.CLOSE_ON_DISPATCH, Boolean.TRUE);
        case RETURN -> {
          // The container ends the response short of its Content-Length.
        }
      }
    }
  }

  /** Ends an exchange whose body was written non-blocking, in the filter's own async cycle. */
  private void endAsync(ExchangeDriver driver, ExchangeResult result, AsyncContext async) {
    driver.abortUnreleased();
    report.end(result, driver.timeToFirstByte());
    try {
      if (result.cutShort() && cut.cut(true) == ResponseCutter.Then.DISPATCH) {
        request.setAttribute(ResponseCutter.CLOSE_ON_DISPATCH, Boolean.TRUE);
        async.dispatch();
      } else {
        async.complete();
      }
    } catch (IllegalStateException e) {
      // Already completed by the container after an error.
    }
  }
}
