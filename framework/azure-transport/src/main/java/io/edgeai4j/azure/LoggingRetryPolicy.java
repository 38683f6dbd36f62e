package io.edgeai4j.azure;

import com.microsoft.azure.sdk.iot.device.transport.ExponentialBackoffWithJitter;
import com.microsoft.azure.sdk.iot.device.transport.RetryDecision;
import com.microsoft.azure.sdk.iot.device.transport.RetryPolicy;
import com.microsoft.azure.sdk.iot.device.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's {@link ExponentialBackoffWithJitter}, configured from {@link AzureTransportOptions}, with every
 * decision logged (the SDK itself logs retries only at trace level), and no retry after an error the SDK
 * marks as not retryable, such as a TLS handshake failure or refused credentials. The SDK 2.5.0 already stops
 * reconnecting after such an error, but {@code ModuleClient.open(true)} asks the policy without looking, and
 * would otherwise retry a misconfigured trust or key until the reconnect timeout. Thread-safe (the delegate
 * draws from a {@code SecureRandom}).
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
    String cause = lastException == null ? "no error recorded" : describe(lastException);
    if (lastException != null && !lastException.isRetryable()) {
      LOG.warn("{}: edgeHub connection not retried: the error is permanent: {}", identity, cause);
      return new RetryDecision(false, 0);
    }
    RetryDecision decision = delegate.getRetryDecision(currentRetryCount, lastException);
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
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      text.append(", caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    return text.toString();
  }
}
