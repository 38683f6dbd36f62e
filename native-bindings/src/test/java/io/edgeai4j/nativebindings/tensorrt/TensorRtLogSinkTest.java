package io.edgeai4j.nativebindings.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

class TensorRtLogSinkTest {
  private final LinkedBlockingQueue<SubstituteLoggingEvent> events = new LinkedBlockingQueue<>();
  private final TensorRtLogSink sink = new TensorRtLogSink(
      new EventRecordingLogger(new SubstituteLogger("trt", events, false), events));

  @ParameterizedTest(name = "severity {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0 | ERROR | internal error: CUDA initialization failure | true
      1 | ERROR | Network has dynamic inputs, but no profile    | true
      2 | WARN  | onnx int64 weights cast down to int32         | false
      3 | DEBUG | Loaded engine size: 12 MiB                    | false
      4 | TRACE | Tactic 0x01 time 0.2 ms                       | false
      """)
  void eachSeverityGoesToItsLevelAndErrorsAreKept(int severity, Level level, String text, boolean kept) {
    String message = severity == 0 ? text.substring("internal error: ".length()) : text;
    sink.log(severity, message);
    SubstituteLoggingEvent e = events.poll();
    assertThat(e).isNotNull();
    assertThat(e.getLevel()).isEqualTo(level);
    assertThat(e.getMessage()).isEqualTo("TensorRT: {}");
    assertThat(e.getArgumentArray()).containsExactly(text);
    assertThat(sink.takeErrors()).isEqualTo(kept ? List.of(text) : List.of());
  }

  @Test
  void takingTheErrorsForgetsThem() {
    sink.log(1, "a");
    sink.log(2, "not an error");
    sink.log(1, "b");
    assertThat(sink.takeErrors()).containsExactly("a", "b");
    assertThat(sink.takeErrors()).isEmpty();
  }

  @Test
  void onlyTheMostRecentErrorsAreKeptAllAreLogged() {
    IntStream.range(0, TensorRtLogSink.RECENT_ERRORS + 5).forEach(i -> sink.log(1, "error " + i));
    assertThat(sink.takeErrors()).hasSize(TensorRtLogSink.RECENT_ERRORS).startsWith("error 5")
        .endsWith("error " + (TensorRtLogSink.RECENT_ERRORS + 4));
    assertThat(events).hasSize(TensorRtLogSink.RECENT_ERRORS + 5);
  }

  @Test
  void concurrentLoggersLoseNothing() throws InterruptedException {
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] = new Thread(() -> IntStream.range(0, 500).forEach(i -> sink.log(i % 2 == 0 ? 1 : 3, id + ":" + i)));
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(events).hasSize(2000);
    assertThat(sink.takeErrors()).hasSize(TensorRtLogSink.RECENT_ERRORS);
  }
}
