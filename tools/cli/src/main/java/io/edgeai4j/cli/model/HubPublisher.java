package io.edgeai4j.cli.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.sdk.iot.service.configurations.Configuration;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationContent;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationMetrics;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClient;
import com.microsoft.azure.sdk.iot.service.configurations.ConfigurationsClientOptions;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubConflictException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;
import io.edgeai4j.cli.ExitCodes;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends desired properties to an IoT Hub with the Azure IoT service SDK: a module twin patch ({@link TwinClient})
 * or a layered deployment ({@link ConfigurationsClient}). Each call opens and closes its own HTTPS connection (the
 * SDK's {@code HttpsURLConnection}); nothing to close. Thread-safe.
 */
public final class HubPublisher {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final HubConnection hub;
  private final int timeoutSeconds;

  /** @param timeout Connect and read timeout of each request; whole seconds, at least 1. */
  public HubPublisher(HubConnection hub, Duration timeout) {
    this.hub = hub;
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
  }

  /**
   * Patches the desired properties of a module twin ({@code PATCH /twins/<device>/modules/<module>}); keys the
   * patch does not name are left as they are.
   *
   * @param desiredPatch The desired-properties patch, e.g. {@code {"models": {"fault-classifier": {...}}}}.
   * @return The twin's desired-properties version after the patch, or null when the hub did not say.
   * @throws PublishException When the hub refuses the patch or cannot be reached.
   */
  public Integer patchModuleTwin(String deviceId, String moduleId, ObjectNode desiredPatch) throws PublishException {
    TwinClient client = new TwinClient(hub.endpointHost(), hub.credential(), TwinClientOptions.builder()
        .httpConnectTimeoutSeconds(timeoutSeconds).httpReadTimeoutSeconds(timeoutSeconds).build());
    Twin twin = new Twin(deviceId, moduleId);
    twin.getDesiredProperties().putAll(MAPPER.convertValue(desiredPatch, MAP));
    String what = "module twin of device '" + deviceId + "', module '" + moduleId + "'";
    try {
      Twin updated = client.patch(twin);
      return updated.getDesiredProperties() == null ? null : updated.getDesiredProperties().getVersion();
    } catch (IotHubNotFoundException e) {
      throw new PublishException(ExitCodes.DATA_ERROR, what + ": not found on " + hub.hostName()
          + " (is the device registered and the module in its deployment?): " + e.getMessage(), e);
    } catch (IotHubException | IOException e) {
      throw failure("patching the " + what, e);
    }
  }

  /**
   * Creates a layered deployment ({@code PUT /configurations/<id>}).
   *
   * @param configuration {@code {"id", "labels", "content": {"modulesContent": {...}}, "targetCondition",
   *     "priority"}}, as {@link ReleaseDocuments#layeredDeployment} makes it.
   * @throws PublishException When a deployment with that id exists, the hub refuses it or cannot be reached.
   */
  public void createDeployment(ObjectNode configuration) throws PublishException {
    String id = configuration.path("id").asText();
    ConfigurationsClient client = new ConfigurationsClient(hub.endpointHost(), hub.credential(),
        ConfigurationsClientOptions.builder()
            .httpConnectTimeoutSeconds(timeoutSeconds).httpReadTimeoutSeconds(timeoutSeconds).build());
    Configuration config = new Configuration(id);
    HashMap<String, String> labels = new HashMap<>();
    configuration.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    config.setLabels(labels);
    ConfigurationContent content = new ConfigurationContent();
    Map<String, Map<String, Object>> modulesContent = new LinkedHashMap<>();
    configuration.path("content").path("modulesContent").fields().forEachRemaining(e ->
        modulesContent.put(e.getKey(), MAPPER.convertValue(e.getValue(), MAP)));
    content.setModulesContent(modulesContent);
    config.setContent(content);
    config.setTargetCondition(configuration.path("targetCondition").asText());
    config.setPriority(configuration.path("priority").asInt());
    Map<String, String> queries = new LinkedHashMap<>();
    configuration.path("metrics").path("queries").fields().forEachRemaining(e ->
        queries.put(e.getKey(), e.getValue().asText()));
    ConfigurationMetrics metrics = new ConfigurationMetrics();
    metrics.setQueries(queries);
    config.setMetrics(metrics);
    try {
      client.create(config);
    } catch (IotHubConflictException e) {
      throw new PublishException(ExitCodes.CANT_CREATE, "deployment '" + id + "' already exists on "
          + hub.hostName() + "; give another --deployment-id, or delete it first"
          + " (az iot edge deployment delete --hub-name <hub> --deployment-id " + id + ")", e);
    } catch (IotHubException | IOException e) {
      throw failure("creating deployment '" + id + "'", e);
    }
  }

  private PublishException failure(String what, Exception e) {
    if (e instanceof IotHubUnauthorizedException) {
      return new PublishException(ExitCodes.CONFIG, what + " on " + hub.hostName() + ": unauthorized (check the"
          + " connection string's policy '" + hub.keyName() + "' and key; it needs the ServiceConnect and, for"
          + " deployments, RegistryWrite rights): " + e.getMessage(), e);
    }
    if (e instanceof IOException) {
      return new PublishException(ExitCodes.UNAVAILABLE, what + ": cannot reach " + hub.endpointHost() + ": " + e,
          e);
    }
    return new PublishException(ExitCodes.SOFTWARE, what + " on " + hub.hostName() + ": the hub answered "
        + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
