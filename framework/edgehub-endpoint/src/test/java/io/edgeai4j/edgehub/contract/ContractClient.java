package io.edgeai4j.edgehub.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.module.EdgeMessage;
import java.time.Duration;
import java.util.List;

/**
 * One module connected to the endpoint through one of the clients under test ({@link ClientKind}). It completes
 * every input, records desired-property patches, and answers every direct method with status 200 and
 * {@code {"method": <name>, "request": <payload>}}. Thread-safe; the test closes it.
 */
interface ContractClient extends AutoCloseable {
  /** Sends to an output and waits for the endpoint's acknowledgement. */
  void send(String output, EdgeMessage message) throws Exception;

  /** The next input not taken yet, or null when none arrives within the timeout. */
  Delivered nextInput(Duration timeout) throws InterruptedException;

  /** The desired properties of a twin GET, {@code $version} included. */
  ObjectNode desiredProperties() throws Exception;

  /** Patches the reported properties and waits for the endpoint's answer. */
  void reportProperties(ObjectNode patch) throws Exception;

  /** The desired-property patches received so far, oldest first, each with its {@code $version}. */
  List<ObjectNode> desiredPatches();

  /** Whether the client says it is connected now. */
  boolean connected();

  /** Disconnects; idempotent. */
  @Override
  void close();
}
