package dev.s3redirect;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Ends a committed response early, the one honest signal left once the status line and {@code
 * Content-Length} are gone: on HTTP/1.1 the connection closes before {@code Content-Length} bytes,
 * on HTTP/2 the stream is reset ({@code RST_STREAM}) and never ended, and the container logs
 * nothing and dispatches no error page. The Servlet API has no way to say this, so each container
 * is asked in its own terms:
 *
 * <ul>
 *   <li><b>Jetty 12</b>: returning normally, or completing the asynchronous cycle, is enough: Jetty
 *       compares the bytes written with {@code Content-Length} and aborts quietly ({@code
 *       RST_STREAM CANCEL} on HTTP/2).
 *   <li><b>Tomcat 10.1 and 11</b>: on HTTP/2, a trailer supplier set before commit throws Tomcat's
 *       {@code CloseNowException} once the response is cut, which resets the stream ({@code
 *       INTERNAL_ERROR}) instead of ending it. On HTTP/1.1, the connector's {@code CLOSE_NOW}
 *       action, reached by reflection, from a dispatch of the container's; an asynchronous cycle is
 *       dispatched back to the filter for it, since the action on another thread makes Tomcat
 *       dispatch an error page.
 *   <li><b>Other containers</b>: the filter throws from {@code doFilter}, and logs once that a
 *       response cut short may end cleanly there on HTTP/2.
 * </ul>
 */
abstract class ResponseCutter {

  private static final Logger LOG = System.getLogger(S3RedirectFilter.class.getName());

  /** Request attribute: the response was cut in an asynchronous cycle, to be closed on dispatch. */
  static final String CLOSE_ON_DISPATCH = ResponseCutter.class.getName() + ".closeOnDispatch";

  /** How the filter ends a response once it is cut. */
  enum Then {
    /** Return normally from {@code doFilter}, or complete the asynchronous cycle. */
    RETURN,
    /** Dispatch the asynchronous cycle back to the filter, which then calls {@link #closeNow}. */
    DISPATCH,
    /** Throw from {@code doFilter}: the container aborts the connection, and may log it. */
    THROW
  }

  /** One exchange's part in cutting its response. */
  interface Handle {
    /**
     * Marks the response cut and returns how the filter must end it.
     *
     * @param inAsyncCycle whether the exchange runs in an asynchronous cycle (the filter's own or
     *     the application's) rather than in a dispatch of the container's
     */
    Then cut(boolean inAsyncCycle);
  }

  /**
   * Prepares a response that may have to be cut, before it commits.
   *
   * @return the exchange's handle
   */
  abstract Handle prepare(HttpServletRequest request, HttpServletResponse response);

  /** Closes the connection of a response cut in an asynchronous cycle, from the dispatch. */
  void closeNow(HttpServletResponse response) {}

  /** Returns the cutter for the container that made {@code response}. */
  static ResponseCutter forContainer(ServletResponse response) {
    ServletResponse raw = response;
    while (raw instanceof ServletResponseWrapper wrapper) {
      raw = wrapper.getResponse();
    }
    String type = raw.getClass().getName();
    if (type.startsWith("org.eclipse.jetty.")) {
      return new Returning();
    }
    if (type.startsWith("org.apache.catalina.")) {
      try {
        return new Tomcat(raw.getClass());
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "s3-redirect cannot reach Tomcat''s connector ({0}): a download cut short by an S3"
                + " failure ends with a thrown exception, and may end cleanly on HTTP/2",
            e.toString());
        return new Throwing();
      }
    }
    LOG.log(
        Level.WARNING,
        "s3-redirect does not know how {0} resets an HTTP/2 stream: a download cut short by an S3"
            + " failure ends with a thrown exception, which closes HTTP/1.1 connections but may end"
            + " HTTP/2 streams cleanly (clients that check Content-Length still see the failure)",
        type);
    return new Throwing();
  }

  /** Jetty: returning normally, or completing, aborts a response short of its length quietly. */
  static final class Returning extends ResponseCutter {
    @Override
    Handle prepare(HttpServletRequest request, HttpServletResponse response) {
      return inAsyncCycle -> Then.RETURN;
    }
  }

  /** An unknown container: today's signal, an exception out of the filter. */
  static final class Throwing extends ResponseCutter {
    @Override
    Handle prepare(HttpServletRequest request, HttpServletResponse response) {
      return inAsyncCycle -> inAsyncCycle ? Then.RETURN : Then.THROW;
    }
  }

  /** Tomcat 10.1 and 11, through the connector's own classes. */
  static final class Tomcat extends ResponseCutter {
    private final Constructor<? extends IOException> closeNowException;
    private final Field connectorResponse;
    private final Method coyoteResponse;
    private final Method action;
    private final Object closeNow;

    Tomcat(Class<?> facade) throws ReflectiveOperationException {
      ClassLoader loader = facade.getClassLoader();
      closeNowException =
          Class.forName("org.apache.coyote.CloseNowException", false, loader)
              .asSubclass(IOException.class)
              .getConstructor(String.class, Throwable.class);
      connectorResponse = facade.getDeclaredField("response");
      connectorResponse.setAccessible(true);
      coyoteResponse = connectorResponse.getType().getMethod("getCoyoteResponse");
      Class<?> actionCode = Class.forName("org.apache.coyote.ActionCode", false, loader);
      action = coyoteResponse.getReturnType().getMethod("action", actionCode, Object.class);
      closeNow = actionCode.getField("CLOSE_NOW").get(null);
    }

    @Override
    Handle prepare(HttpServletRequest request, HttpServletResponse response) {
      if ("HTTP/2.0".equals(request.getProtocol())) {
        AtomicBoolean cut = new AtomicBoolean();
        Supplier<Map<String, String>> trailers =
            () -> {
              if (cut.get()) {
                // Tomcat resets the stream instead of ending it, and keeps the connection.
                throw Tomcat.<RuntimeException>sneaky(closeNowException("response cut short"));
              }
              return Map.of();
            };
        response.setTrailerFields(trailers);
        return inAsyncCycle -> {
          cut.set(true);
          return Then.RETURN;
        };
      }
      return inAsyncCycle -> {
        if (inAsyncCycle) {
          return Then.DISPATCH;
        }
        closeNow(response);
        return Then.RETURN;
      };
    }

    @Override
    void closeNow(HttpServletResponse response) {
      ServletResponse raw = response;
      while (raw instanceof ServletResponseWrapper wrapper) {
        raw = wrapper.getResponse();
      }
      try {
        Object coyote = coyoteResponse.invoke(connectorResponse.get(raw));
        action.invoke(coyote, closeNow, null);
      } catch (ReflectiveOperationException e) {
        LOG.log(Level.WARNING, "s3-redirect could not close a Tomcat connection: " + e);
      }
    }

    private IOException closeNowException(String message) {
      try {
        return closeNowException.newInstance(message, null);
      } catch (ReflectiveOperationException e) {
        return new IOException(message, e);
      }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable failure) throws T {
      throw (T) failure;
    }
  }
}
