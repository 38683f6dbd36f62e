package io.edgeai4j.modelupdate.download;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed over one chunk at a time, pulled by the reader with a timeout: the JDK's response streams
 * have no read timeout, and this one needs no watchdog thread. Captures the status and headers when they arrive.
 * One reader thread; the HTTP client's threads push.
 */
final class BodyChunks implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<List<ByteBuffer>> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse.ResponseInfo> info = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  /** Thrown when no chunk arrived within the timeout. */
  static final class StalledException extends IOException {
    private static final long serialVersionUID = 1L;

    StalledException(String message) {
      super(message);
    }
  }

  @Override
  public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo responseInfo) {
    info.complete(responseInfo);
    return HttpResponse.BodySubscribers.fromSubscriber(this);
  }

  /** The status and headers, once they arrived; fails as the exchange failed. */
  CompletableFuture<HttpResponse.ResponseInfo> info() {
    return info;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    items.add(buffers);
  }

  @Override
  public void onError(Throwable error) {
    items.add(error);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  /**
   * The next chunk of the body, or null at its end.
   *
   * @throws StalledException When nothing arrived within {@code timeout}.
   * @throws IOException When the body failed (cut connection).
   */
  @SuppressWarnings("unchecked")
  List<ByteBuffer> next(Duration timeout) throws IOException, InterruptedException {
    Object item = items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (item == null) {
      throw new StalledException("no bytes for " + timeout.toMillis() + " ms (download.timeoutMillis)");
    }
    if (item == END) {
      return null;
    }
    if (item instanceof Throwable t) {
      throw t instanceof IOException io ? io : new IOException(t.toString(), t);
    }
    subscription.request(1);
    return (List<ByteBuffer>) item;
  }

  /** Stops the body (the connection is dropped); safe to call at any time. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
