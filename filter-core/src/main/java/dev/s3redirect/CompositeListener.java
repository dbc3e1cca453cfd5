package dev.s3redirect;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells several listeners, in order. The one place where listener failures are contained: a
 * listener that throws is logged, the others still hear, and the download goes on. Each listener is
 * asked for its own per-exchange listener.
 */
final class CompositeListener implements S3RedirectListener {

  private static final Logger LOG = System.getLogger(S3RedirectFilter.class.getName());

  private final List<S3RedirectListener> listeners;

  CompositeListener(List<? extends S3RedirectListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public S3RedirectListener forExchange(S3Location location) {
    List<S3RedirectListener> forExchange = new ArrayList<>(listeners.size());
    for (S3RedirectListener listener : listeners) {
      try {
        forExchange.add(listener.forExchange(location));
      } catch (RuntimeException e) {
        failed(listener, "starting an exchange for " + location, e);
      }
    }
    return new CompositeListener(forExchange);
  }

  @Override
  public void onStreamStarted(S3Location location) {
    for (S3RedirectListener listener : listeners) {
      try {
        listener.onStreamStarted(location);
      } catch (RuntimeException e) {
        failed(listener, "the start of " + location, e);
      }
    }
  }

  @Override
  public void onEvent(S3RedirectEvent event) {
    for (S3RedirectListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        failed(listener, event.outcome() + " of " + event.location(), e);
      }
    }
  }

  private static void failed(S3RedirectListener listener, String on, RuntimeException e) {
    LOG.log(Level.WARNING, "S3RedirectListener " + listener + " failed on " + on, e);
  }
}
