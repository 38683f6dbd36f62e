package io.edgeai4j.cli.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeai4j.retry.BackoffPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real child JVMs ({@link ChildMain}) supervised as module processes. */
class ModuleProcessTest {
  private static final BackoffPolicy FAST = BackoffPolicy.exponential(Duration.ofMillis(50), Duration.ofSeconds(1))
      .withJitter(0);

  private final StringWriter logged = new StringWriter();
  private final PrintWriter log = new PrintWriter(logged, true);
  private final List<ModuleProcess> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(ModuleProcess::close);
  }

  private ModuleProcess start(RestartPolicy policy, Duration stopTimeout, String... args) throws Exception {
    return start(policy, stopTimeout, ModuleProcess.MAX_RESTARTS, args);
  }

  private ModuleProcess start(RestartPolicy policy, Duration stopTimeout, int maxRestarts, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
    command.addAll(List.of(args));
    ModuleProcess p = new ModuleProcess("m1", command, Map.of("MODULE_VAR", "v1"), policy, FAST, stopTimeout,
        maxRestarts, log);
    processes.add(p);
    p.start();
    return p;
  }

  private String log() {
    return logged.toString();
  }

  @Test
  void itsLinesArePrefixedWithTheModuleAndItGetsItsEnvironment() throws Exception {
    ModuleProcess p = start(RestartPolicy.NEVER, Duration.ofSeconds(5), "env", "MODULE_VAR", "exit", "0");
    assertThat(p.pid()).isNotEqualTo(ProcessHandle.current().pid());
    await().atMost(Duration.ofSeconds(20)).until(() -> log().contains("not restarted"));
    assertThat(log()).contains("[m1] MODULE_VAR=v1\n").contains("[m1] exiting with 0\n")
        .contains("[m1] exited with code 0; not restarted (restartPolicy never)\n");
    assertThat(p.starts()).isEqualTo(1);
    assertThat(p.lastExitCode()).isZero();
  }

  @ParameterizedTest(name = "{0}, exit {1}: restarted {2}")
  @CsvSource(delimiter = '|', value = {
    "always       | 0 | true  | ",
    "always       | 3 | true  | ",
    "never        | 3 | false | restartPolicy never",
    "on-failure   | 3 | false | restartPolicy on-failure, which edgeAgent does not implement: it never restarts such a module",
    "on-unhealthy | 0 | false | restartPolicy on-unhealthy, which edgeAgent does not implement: it never restarts such a module"})
  void anExitedProcessIsRestartedOnlyWithRestartPolicyAlwaysAsOnEdgeAgent(String policy, int code, boolean restarted,
      String why) throws Exception {
    ModuleProcess p = start(RestartPolicy.parse(policy), Duration.ofSeconds(5), "exit", "" + code);
    if (restarted) {
      await().atMost(Duration.ofSeconds(20)).until(() -> p.starts() >= 2);
      await().atMost(Duration.ofSeconds(5)).until(() -> log().contains("[m1] started again, pid "));
      assertThat(log()).contains("[m1] exited with code " + code + "; restarting in 50 ms (restart 1, restartPolicy "
          + policy + ")");
    } else {
      await().atMost(Duration.ofSeconds(20)).until(() -> log().contains("not restarted"));
      assertThat(log()).contains("[m1] exited with code " + code + "; not restarted (" + why + ")\n");
      assertThat(p.starts()).isEqualTo(1);
    }
  }

  @Test
  void restartsWaitLongerEachTime() throws Exception {
    ModuleProcess p = start(RestartPolicy.ALWAYS, Duration.ofSeconds(5), "exit", "1");
    await().atMost(Duration.ofSeconds(30)).until(() -> p.starts() >= 4);
    assertThat(log()).contains("restarting in 50 ms (restart 1,").contains("restarting in 100 ms (restart 2,")
        .contains("restarting in 200 ms (restart 3,");
  }

  @Test
  void afterMaxRestartsInARowTheModuleIsLeftStoppedAsEdgeAgentDoes() throws Exception {
    ModuleProcess p = start(RestartPolicy.ALWAYS, Duration.ofSeconds(5), 2, "exit", "1");
    await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("not restarted"));
    assertThat(log()).contains("[m1] exited with code 1; not restarted: it was restarted 2 times in a row without"
        + " running 10 minutes (edgeAgent's MaxRestartCount; the module is failed)");
    assertThat(p.starts()).isEqualTo(3);
  }

  @Test
  void closeStopsItWithSigtermAndDoesNotRestartIt() throws Exception {
    ModuleProcess p = start(RestartPolicy.ALWAYS, Duration.ofSeconds(10), "wait");
    await().atMost(Duration.ofSeconds(20)).until(() -> log().contains("[m1] waiting"));
    ProcessHandle handle = p.handle();
    p.close();
    assertThat(handle.isAlive()).isFalse();
    assertThat(p.lastExitCode()).as(log()).isEqualTo(143);
    assertThat(log()).contains("[m1] terminated gracefully").doesNotContain("restarting").doesNotContain("killing");
    assertThat(p.starts()).isEqualTo(1);
    assertThat(p.lastExitCode()).isEqualTo(143);
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheStopTimeout() throws Exception {
    ModuleProcess p = start(RestartPolicy.ALWAYS, Duration.ofMillis(500), "ignore-term");
    await().atMost(Duration.ofSeconds(20)).until(() -> log().contains("[m1] waiting"));
    ProcessHandle handle = p.handle();
    long started = System.nanoTime();
    p.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(handle.isAlive()).isFalse();
    assertThat(log()).contains("[m1] did not stop within 500 ms of SIGTERM; killing it");
    assertThat(Stream.of(log().split("\n")).filter(l -> l.contains("restarting"))).isEmpty();
  }
}
