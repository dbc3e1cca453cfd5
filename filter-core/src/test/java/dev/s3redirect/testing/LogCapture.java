package dev.s3redirect.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Records what the filter logs while it is open. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<Logger, Level> restore = new LinkedHashMap<>();

  private LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts recording the loggers of the filter ({@code dev.s3redirect} and below). */
  public static LogCapture ofTheFilter() {
    return new LogCapture("dev.s3redirect");
  }

  /** Starts recording every logger: the container's, the SDK's and the filter's. */
  public static LogCapture ofEverything() {
    return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /**
   * Starts recording every logger with everything at DEBUG: the container's, the SDK's, the HTTP
   * client's and the filter's, except those that show every signed request header verbatim by
   * design (credentials, customer keys): the HTTP client's wire and header logs and the SDK
   * signer's canonical requests.
   */
  public static LogCapture ofEverythingAtDebug() {
    LogCapture capture = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (String name :
        List.of(
            org.slf4j.Logger.ROOT_LOGGER_NAME,
            "software.amazon.awssdk",
            "org.eclipse.jetty",
            "org.apache.hc",
            "dev.s3redirect")) {
      capture.setLevel(name, Level.DEBUG);
    }
    capture.setLevel("org.apache.hc.client5.http.wire", Level.INFO);
    capture.setLevel("org.apache.hc.client5.http.headers", Level.INFO);
    capture.setLevel("software.amazon.awssdk.http.auth.aws.internal.signer", Level.INFO);
    capture.setLevel("software.amazon.awssdk.auth", Level.INFO);
    return capture;
  }

  /**
   * Sets a logger's level while this capture is open.
   *
   * @param name the logger
   * @param level its level until {@link #close()}
   */
  public void setLevel(String name, Level level) {
    Logger target = (Logger) LoggerFactory.getLogger(name);
    restore.putIfAbsent(target, target.getLevel());
    target.setLevel(level);
  }

  /** Every event recorded, whatever its level. */
  public List<String> all() {
    return atOrAbove(Level.TRACE);
  }

  /** The events recorded at {@code level} or above. */
  public List<String> atOrAbove(Level level) {
    return appender.list.stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(level))
        .map(
            event ->
                event.getLevel()
                    + " "
                    + event.getLoggerName()
                    + " "
                    + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                        ? ""
                        : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())))
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    restore.forEach(Logger::setLevel);
  }
}
