package dev.s3redirect.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Records what the filter logs while it is open. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

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

  /** The events recorded at {@code level} or above. */
  public List<String> atOrAbove(Level level) {
    return appender.list.stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(level))
        .map(
            event ->
                event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage())
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
