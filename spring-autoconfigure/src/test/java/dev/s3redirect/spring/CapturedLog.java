package dev.s3redirect.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what one class logs through {@link System.Logger} (backed by java.util.logging in these
 * tests), while open.
 */
final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(Class<?> type) {
    logger = Logger.getLogger(type.getName());
    logger.addHandler(handler);
  }

  static CapturedLog of(Class<?> type) {
    return new CapturedLog(type);
  }

  /** Returns every message logged so far. */
  List<String> all() {
    return records.stream().map(LogRecord::getMessage).toList();
  }

  /** Returns the messages logged at {@code level} ({@code SEVERE} for ERROR). */
  List<String> at(Level level) {
    return records.stream()
        .filter(record -> record.getLevel() == level)
        .map(LogRecord::getMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
