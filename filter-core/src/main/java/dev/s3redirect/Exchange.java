package dev.s3redirect;

import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.internal.http.ConditionalRequest;
import dev.s3redirect.store.ObjectStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;

/**
 * One redirected response being answered, in one straight line: the {@link ExchangePlanner}
 * decides, the {@link ExchangeDriver} asks the store what it decides to ask, the {@link
 * AnswerWriter} carries out the answer, and the {@link ExchangeReport} tells the listener and the
 * log how it ended, exactly once.
 */
final class Exchange {

  private final HttpServletRequest request;
  private final RedirectCapturingResponse response;
  private final S3Location location;
  private final S3RedirectSettings settings;
  private final ExchangeReport report;
  private final AnswerWriter writer;

  Exchange(
      HttpServletRequest request,
      RedirectCapturingResponse response,
      S3Location location,
      S3RedirectSettings settings,
      S3RedirectListener listener,
      ExchangeReport.Throttle accessDenied) {
    this.request = request;
    this.response = response;
    this.location = location;
    this.settings = settings;
    this.report =
        ExchangeReport.start(
            request.getMethod(), request.getRequestURI(), location, listener, accessDenied);
    this.writer =
        new AnswerWriter(
            response,
            new ResponseWriter(settings.bufferSize()),
            settings.defaultCacheControlValue(),
            report::bodyStarted);
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
    var driver = new ExchangeDriver(store);
    ExchangeResult result;
    try {
      result = write(driver.decide(planner), driver.parts(planner));
    } finally {
      // Whatever ended the exchange, no S3 body stays open, and none is drained.
      driver.abortUnreleased();
    }
    end(result, driver.timeToFirstByte());
  }

  /** Gives an answer decided without asking S3. */
  void answer(Answer answer) throws IOException {
    end(write(answer, (object, range) -> new PartBody.Unusable("no parts")), Duration.ZERO);
  }

  private ExchangeResult write(Answer answer, PartBody.Source parts) {
    try {
      return writer.write(answer, parts);
    } catch (IOException e) {
      // Writing an answer without an object body failed: the client went away.
      return new ExchangeResult(
          Outcome.CLIENT_ABORTED,
          ((HttpServletResponse) response.getResponse()).getStatus(),
          0,
          "the client went away: " + e.getMessage());
    }
  }

  private void end(ExchangeResult result, Duration timeToFirstByte) throws IOException {
    report.end(result, timeToFirstByte);
    if (result.cutShort()) {
      // Containers abort the connection of a committed response whose processing threw.
      throw new ResponseCutShortException(result.detail());
    }
  }
}
