package io.edgeai4j.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.NetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test JVM runs where src/test/netns/bin/java put it: in a network namespace of its own when the machine
 * allows one (then FakeEdgeHub's 127.0.0.1:8883 is not the host's), else on the host network.
 */
class TestNetworkTest {
  @Test
  void theTestJvmWasStartedByTheNamespaceWrapper() throws Exception {
    String network = System.getenv("EDGEAI4J_TEST_NETWORK");
    if (!System.getProperty("os.name").startsWith("Linux") && network == null) {
      return; // the wrapper is used on Unix only (profile test-network-namespace); elsewhere: the host network
    }
    assertThat(network).as("EDGEAI4J_TEST_NETWORK, set by src/test/netns/bin/java").isNotNull();
    if (network.startsWith("own network namespace")) {
      List<String> interfaces = NetworkInterface.networkInterfaces().map(NetworkInterface::getName).toList();
      assertThat(interfaces).as("a fresh network namespace has only loopback").containsExactly("lo");
      assertThat(NetworkInterface.getByName("lo").isUp()).as("the wrapper brought loopback up").isTrue();
    } else {
      assertThat(network).startsWith("host network: ");
    }
  }
}
