package io.edgeai4j.edgehub.contract;

import static io.edgeai4j.edgehub.contract.ContractEdge.RECEIVER;
import static io.edgeai4j.edgehub.contract.ContractEdge.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeai4j.edgehub.NoopListener;
import io.edgeai4j.module.EdgeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ModuleClient.createFromEnvironment}'s production path against the endpoint: a child JVM started with
 * only {@code endpoint.runtimeEnvironment(module)} (the {@code IOTEDGE_*} variables, the workload API over
 * {@code http://}) connects, reads its twin and receives a routed input.
 */
class WorkloadEnvironmentContractTest extends ContractEdgeTestBase {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Process child;

  @AfterEach
  void destroyChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void aModuleCreatedFromTheRuntimeEnvironmentConnectsReadsItsTwinAndReceivesInput() throws Exception {
    Map<String, String> runtime = edge.endpoint().runtimeEnvironment(RECEIVER);
    assertThat(runtime).containsEntry("IOTEDGE_AUTHSCHEME", "sasToken")
        .containsEntry("IOTEDGE_MODULEID", RECEIVER)
        .containsEntry("IOTEDGE_DEVICEID", ContractEdge.DEVICE);
    // The SDK refuses plain HTTP to any host but localhost ("Cannot do HTTP requests to any host other than
    // localhost"), so http://127.0.0.1:<port>/ would not do.
    assertThat(runtime.get("IOTEDGE_WORKLOADURI")).startsWith("http://localhost:");

    Path stderr = directory.resolve("child.err");
    ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
        EnvironmentModuleMain.class.getName())
        .redirectError(stderr.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("IOTEDGE_") || name.equals("EdgeHubConnectionString")
        || name.equals("IotHubConnectionString") || name.equals("EdgeModuleCACertificateFile"));
    environment.putAll(runtime);
    child = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith(EnvironmentModuleMain.PREFIX)) {
            lines.add(line.substring(EnvironmentModuleMain.PREFIX.length()));
          }
        }
      } catch (java.io.IOException e) {
        lines.add("READ FAILED " + e);
      }
    }, "child-stdout");
    reader.setDaemon(true);
    reader.start();

    List<String> seen = new ArrayList<>();
    String connected = nextLine(lines, seen, stderr);
    assertThat(connected).isEqualTo("CONNECTED");
    String desired = nextLine(lines, seen, stderr);
    assertThat(desired).startsWith("DESIRED ");
    JsonNode twin = ContractEdge.JSON.readTree(desired.substring("DESIRED ".length()));
    assertThat(twin.path("threshold").asInt()).as(desired).isEqualTo(30);

    try (var sender = edge.hub().transportFor(SENDER)) {
      sender.open(new NoopListener());
      sender.send("out", EdgeMessage.text("from the hub"));
    }
    assertThat(nextLine(lines, seen, stderr)).isEqualTo("INPUT in from the hub");
    assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("exit status; stderr: " + Files.readString(stderr)).isZero();
  }

  private String nextLine(BlockingQueue<String> lines, List<String> seen, Path stderr) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String line = lines.poll(1, TimeUnit.SECONDS);
    while (line == null && child.isAlive() && System.nanoTime() < deadline) {
      line = lines.poll(1, TimeUnit.SECONDS);
    }
    if (line == null) {
      throw new AssertionError("the child printed nothing more" + (child.isAlive() ? " within " + WAIT
          : " and exited with " + child.exitValue()) + "; printed " + seen + "; stderr:\n" + Files.readString(stderr));
    }
    seen.add(line);
    return line;
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
