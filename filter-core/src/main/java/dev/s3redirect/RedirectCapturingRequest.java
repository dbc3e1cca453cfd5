package dev.s3redirect;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Keeps asynchronous responses inside the filter: {@code startAsync()} hands the application the
 * capturing response (not the container's, where the header would leak), and {@code complete()}
 * serves the named object before the container completes the response.
 */
final class RedirectCapturingRequest extends HttpServletRequestWrapper {

  /** Serves the captured redirect, if any; runs at most once. */
  interface Completion {
    void run();
  }

  private final RedirectCapturingResponse response;
  private final Completion completion;
  private AsyncContext asyncContext;

  RedirectCapturingRequest(
      HttpServletRequest request, RedirectCapturingResponse response, Completion completion) {
    super(request);
    this.response = response;
    this.completion = completion;
  }

  @Override
  public AsyncContext startAsync() {
    asyncContext = new CompletingAsyncContext(super.startAsync(this, response));
    return asyncContext;
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    asyncContext = new CompletingAsyncContext(super.startAsync(request, response));
    return asyncContext;
  }

  @Override
  public AsyncContext getAsyncContext() {
    return asyncContext != null ? asyncContext : super.getAsyncContext();
  }

  /** Delegates everything, but serves the redirect before completing. */
  private final class CompletingAsyncContext implements AsyncContext {
    private final AsyncContext delegate;

    CompletingAsyncContext(AsyncContext delegate) {
      this.delegate = delegate;
    }

    @Override
    public void complete() {
      try {
        completion.run();
      } finally {
        if (getRequest().getAttribute(ResponseCutter.CLOSE_ON_DISPATCH) != null) {
          // The response was cut short: the filter closes the connection from a dispatch.
          delegate.dispatch();
        } else {
          delegate.complete();
        }
      }
    }

    @Override
    public ServletRequest getRequest() {
      return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
      return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
      delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
      delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      delegate.dispatch(context, path);
    }

    @Override
    public void start(Runnable run) {
      delegate.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
      delegate.addListener(listener);
    }

    @Override
    public void addListener(
        AsyncListener listener, ServletRequest request, ServletResponse response) {
      delegate.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type)
        throws jakarta.servlet.ServletException {
      return delegate.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
      delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
      return delegate.getTimeout();
    }
  }
}
