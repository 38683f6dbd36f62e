package io.edgeai4j.edgehub.contract;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A module process as the IoT Edge runtime starts one: {@code ModuleClient.createFromEnvironment} reads the
 * {@code IOTEDGE_*} variables of this process (the workload API signs its tokens and gives the trust bundle), then
 * it prints, one line each after {@link #PREFIX}, {@code CONNECTED}, {@code DESIRED <json>} and, for the first input,
 * {@code INPUT <input> <body>}, and exits 0; any failure exits 1 with the exception on stderr. Run by
 * {@link WorkloadEnvironmentContractTest} in a child JVM, since a JVM cannot change its own environment.
 */
public final class EnvironmentModuleMain {
  /** Marks this program's lines among whatever else the child prints (logging set-up, the SDK). */
  static final String PREFIX = "module> ";

  private EnvironmentModuleMain() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch input = new CountDownLatch(1);
    ModuleClient client = ModuleClient.createFromEnvironment(null, IotHubClientProtocol.MQTT);
    try {
      client.setMessageCallback((message, context) -> {
        System.out.println(PREFIX + "INPUT " + message.getInputName() + " "
            + new String(message.getBytes(), StandardCharsets.UTF_8));
        System.out.flush();
        input.countDown();
        return IotHubMessageResult.COMPLETE;
      }, null);
      client.open(true);
      System.out.println(PREFIX + "CONNECTED");
      client.subscribeToDesiredProperties((patch, context) -> { }, null, 10_000); // the SDK's condition for getTwin
      Twin twin = client.getTwin(10_000);
      System.out.println(PREFIX + "DESIRED " + SdkContractClient.toJson(twin.getDesiredProperties()));
      System.out.flush();
      if (!input.await(60, TimeUnit.SECONDS)) {
        System.err.println("no input within 60 s");
        System.exit(1);
      }
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    } finally {
      client.close();
    }
    System.exit(0);
  }
}
