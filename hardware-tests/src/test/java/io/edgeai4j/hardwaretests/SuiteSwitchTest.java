package io.edgeai4j.hardwaretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import io.edgeai4j.hardwaretests.gpu.EngineCacheHardwareTest;
import io.edgeai4j.hardwaretests.gpu.TensorRtEnginesHardwareTest;
import io.edgeai4j.hardwaretests.gpu.TensorRtHotSwapHardwareTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The switch end to end: each hardware test class of the suite run through the JUnit launcher with
 * {@code edgeai4j.hardware} unset (skipped), set to an unknown value (failed) and set to {@code jetson} on a machine
 * that is not a Jetson (failed with the probe's reasons, not skipped).
 */
class SuiteSwitchTest {

  private final String before = System.getProperty(HardwareSwitch.PROPERTY);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(HardwareSwitch.PROPERTY);
    } else {
      System.setProperty(HardwareSwitch.PROPERTY, before);
    }
  }

  @ParameterizedTest
  @ValueSource(classes = {JetsonEnvironmentHardwareTest.class, TensorRtEnginesHardwareTest.class,
      EngineCacheHardwareTest.class, TensorRtHotSwapHardwareTest.class})
  void unsetSkipsTheSuite(Class<?> suite) {
    System.clearProperty(HardwareSwitch.PROPERTY);

    TestExecutionSummary s = run(suite);

    assertThat(s.getContainersSkippedCount()).as("the class (and its parameterized tests' containers)").isPositive();
    assertThat(s.getTestsStartedCount()).isZero();
    assertThat(s.getTotalFailureCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(classes = {JetsonEnvironmentHardwareTest.class, TensorRtEnginesHardwareTest.class,
      EngineCacheHardwareTest.class, TensorRtHotSwapHardwareTest.class})
  void anUnknownValueFailsTheSuite(Class<?> suite) {
    System.setProperty(HardwareSwitch.PROPERTY, "xavier");

    TestExecutionSummary s = run(suite);

    assertThat(s.getContainersSkippedCount()).isZero();
    assertThat(failureMessages(s)).singleElement().asString().contains("expected one of [jetson]");
  }

  @ParameterizedTest
  @ValueSource(classes = {JetsonEnvironmentHardwareTest.class, TensorRtEnginesHardwareTest.class,
      EngineCacheHardwareTest.class, TensorRtHotSwapHardwareTest.class})
  void switchedOnAMachineThatIsNotAJetsonFailsWithTheProbesReasons(Class<?> suite) {
    List<String> problems = JetsonProbe.ofThisMachine().problems();
    assumeFalse(problems.isEmpty(), "this machine is a Jetson: the suite runs for real here");
    System.setProperty(HardwareSwitch.PROPERTY, "jetson");

    TestExecutionSummary s = run(suite);

    assertThat(s.getContainersSkippedCount()).isZero();
    assertThat(failureMessages(s)).singleElement().asString()
        .startsWith("-Dedgeai4j.hardware=jetson, but this machine cannot run the Jetson hardware suite:")
        .contains(problems);
  }

  private static TestExecutionSummary run(Class<?> suite) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(), listener);
    return listener.getSummary();
  }

  private static List<String> failureMessages(TestExecutionSummary s) {
    return s.getFailures().stream().map(f -> f.getException().getMessage()).toList();
  }
}
