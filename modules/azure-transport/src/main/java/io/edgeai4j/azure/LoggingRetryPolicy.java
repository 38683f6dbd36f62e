package io.edgeai4j.azure;

import com.microsoft.azure.sdk.iot.device.transport.ExponentialBackoffWithJitter;
import com.microsoft.azure.sdk.iot.device.transport.RetryDecision;
import com.microsoft.azure.sdk.iot.device.transport.RetryPolicy;
import com.microsoft.azure.sdk.iot.device.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's {@link ExponentialBackoffWithJitter}, configured from {@link AzureTransportOptions}, with every
 * decision logged: the SDK itself logs retries only at trace level. Thread-safe (the delegate draws from a
 * {@code SecureRandom}).
 */
final class LoggingRetryPolicy implements RetryPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingRetryPolicy.class);

  private final String identity;
  private final ExponentialBackoffWithJitter delegate;

  LoggingRetryPolicy(String identity, AzureTransportOptions options) {
    this.identity = identity;
    this.delegate = new ExponentialBackoffWithJitter(
        Integer.MAX_VALUE,
        options.minBackoff().toMillis(),
        options.maxBackoff().toMillis(),
        options.deltaBackoff().toMillis(),
        true);
  }

  @Override
  public RetryDecision getRetryDecision(int currentRetryCount, TransportException lastException) {
    RetryDecision decision = delegate.getRetryDecision(currentRetryCount, lastException);
    String cause = lastException == null ? "no error recorded" : describe(lastException);
    if (decision.shouldRetry()) {
      LOG.info("{}: edgeHub connection retry {} in {} ms, after: {}", identity, currentRetryCount + 1,
          decision.getDuration(), cause);
    } else {
      LOG.warn("{}: edgeHub connection not retried after {} retries; last error: {}", identity,
          currentRetryCount, cause);
    }
    return decision;
  }

  private static String describe(Throwable error) {
    StringBuilder text = new StringBuilder(error.getClass().getSimpleName()).append(": ").append(error.getMessage());
    Throwable cause = error.getCause();
    if (cause != null && cause != error) {
      text.append(", caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    return text.toString();
  }
}
