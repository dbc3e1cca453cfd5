package dev.s3redirect.spring;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/** Tells several listeners, in order; one that throws is logged and the others still hear. */
final class CompositeListener implements S3RedirectListener {

  private static final Logger LOG = System.getLogger(CompositeListener.class.getName());

  private final List<S3RedirectListener> listeners;

  private CompositeListener(List<S3RedirectListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Returns one listener for all of {@code listeners}: none, the only one, or a composite. */
  static S3RedirectListener of(List<S3RedirectListener> listeners) {
    return switch (listeners.size()) {
      case 0 -> S3RedirectListener.NONE;
      case 1 -> listeners.get(0);
      default -> new CompositeListener(listeners);
    };
  }

  @Override
  public void onEvent(S3RedirectEvent event) {
    for (S3RedirectListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, listener + " failed on " + event.outcome(), e);
      }
    }
  }

  @Override
  public void onStreamStarted(S3Location location) {
    for (S3RedirectListener listener : listeners) {
      try {
        listener.onStreamStarted(location);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, listener + " failed on the start of " + location, e);
      }
    }
  }
}
