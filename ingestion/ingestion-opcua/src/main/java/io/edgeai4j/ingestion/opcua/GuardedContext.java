package io.edgeai4j.ingestion.opcua;

import io.edgeai4j.ingestion.source.Reading;
import io.edgeai4j.ingestion.source.SampleBlock;
import io.edgeai4j.ingestion.source.SourceContext;
import io.edgeai4j.ingestion.source.SourceState;
import java.util.Objects;

/**
 * The source's way to its {@link SourceContext}: passes calls on until {@link #shut()}, and none after,
 * so that a Milo callback racing with close cannot reach the module once close has returned. Drops a
 * state report equal to the previous one. Thread-safe.
 */
final class GuardedContext {
  private final SourceContext context;
  private boolean open = true;
  private SourceState lastState;
  private String lastDetail;

  GuardedContext(SourceContext context) {
    this.context = context;
  }

  synchronized void emit(Reading reading) {
    if (open) {
      context.emit(reading);
    }
  }

  synchronized void emit(SampleBlock block) {
    if (open) {
      context.emit(block);
    }
  }

  synchronized void report(SourceState state, String detail) {
    if (open && !(state == lastState && Objects.equals(detail, lastDetail))) {
      lastState = state;
      lastDetail = detail;
      context.reportState(state, detail);
    }
  }

  synchronized SourceState lastState() {
    return lastState;
  }

  /** Passes nothing on from now on. */
  synchronized void shut() {
    open = false;
  }
}
