package dev.s3redirect.testing;

import dev.s3redirect.S3Location;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's store: it counts the reads the filter asks of it (each a {@code GetObject} or {@code
 * HeadObject}; neither engine retries in the suites' normal cases), can run an action just before
 * the n-th {@code GetObject} (to change an object between two reads of one client request), and
 * closes what it was opened with.
 */
public final class CountingStore implements ObjectStore, AutoCloseable {
  private final ObjectStore delegate;
  private final AutoCloseable resources;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger gets = new AtomicInteger();
  private volatile int trigger;
  private volatile Runnable action;

  CountingStore(ObjectStore delegate, AutoCloseable resources) {
    this.delegate = delegate;
    this.resources = resources;
  }

  /** The reads asked so far. */
  public int requests() {
    return requests.get();
  }

  /** Runs {@code action} just before the {@code n}-th {@code GetObject} from now, once. */
  public void beforeGet(int n, Runnable action) {
    this.trigger = gets.get() + n;
    this.action = action;
  }

  @Override
  public ObjectMetadata head(S3Location location) throws ObjectStoreException {
    requests.incrementAndGet();
    return delegate.head(location);
  }

  @Override
  public boolean isContended() {
    return delegate.isContended();
  }

  @Override
  public boolean hasCustomerKey(S3Location location) {
    return delegate.hasCustomerKey(location);
  }

  @Override
  public GetResult get(ObjectRequest request) throws ObjectStoreException {
    requests.incrementAndGet();
    Runnable pending = action;
    if (gets.incrementAndGet() == trigger && pending != null) {
      action = null;
      pending.run();
    }
    return delegate.get(request);
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the store", e);
    }
  }
}
