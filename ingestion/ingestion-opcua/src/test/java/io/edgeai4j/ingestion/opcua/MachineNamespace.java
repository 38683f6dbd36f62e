package io.edgeai4j.ingestion.opcua;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.Lifecycle;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Matrix;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The test server's address space ({@value #NAMESPACE_URI}, index 2): Machine/Temperature (Double,
 * 20 + tick / 2), Machine/SpindleSpeed (Int32, 1000 + tick), Machine/Running (Boolean, tick is even),
 * Machine/Mode (String, "mode-" + tick) and Machine/Faulty (Double with status Bad_SensorFailure). A
 * tick every 50 ms changes them all; the source timestamp of tick t is {@link #BASE_TIME} + t seconds.
 *
 * <p>Arrays: Machine/Vibration (Double[{@value #VIBRATION_SAMPLES}], one second of a
 * {@value #VIBRATION_HZ} Hz sine sampled at {@value #VIBRATION_SAMPLES} Hz: sample k of tick t is
 * {@link #vibration(long, int)}), Machine/Counts (Int16[4]: t, t + 1, t + 2, t + 3) and the fixed
 * Machine/Matrix (a 2x3 Double matrix) and Machine/Empty (Double[0]).
 */
final class MachineNamespace extends ManagedNamespaceWithLifecycle {
  static final String NAMESPACE_URI = "urn:edgeai4j:test:machine";
  static final Instant BASE_TIME = Instant.parse("2020-01-01T00:00:00Z");
  static final int VIBRATION_SAMPLES = 100;
  static final double VIBRATION_HZ = 10.5;

  private final SubscriptionModel subscriptionModel;
  private final AtomicLong tick;
  private UaVariableNode temperature;
  private UaVariableNode spindleSpeed;
  private UaVariableNode running;
  private UaVariableNode mode;
  private UaVariableNode vibration;
  private UaVariableNode counts;
  private ScheduledExecutorService ticker;

  MachineNamespace(OpcUaServer server, AtomicLong tick) {
    super(server, NAMESPACE_URI);
    this.tick = tick;
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::addNodes);
    getLifecycleManager().addLifecycle(new Lifecycle() {
      @Override
      public void startup() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "test-opcua-server-ticker");
          thread.setDaemon(true);
          return thread;
        });
        ticker.scheduleAtFixedRate(MachineNamespace.this::advance, 0, 50, TimeUnit.MILLISECONDS);
      }

      @Override
      public void shutdown() {
        ticker.shutdownNow();
      }
    });
  }

  private void addNodes() {
    temperature = variable("Machine/Temperature", NodeIds.Double);
    spindleSpeed = variable("Machine/SpindleSpeed", NodeIds.Int32);
    running = variable("Machine/Running", NodeIds.Boolean);
    mode = variable("Machine/Mode", NodeIds.String);
    vibration = variable("Machine/Vibration", NodeIds.Double);
    counts = variable("Machine/Counts", NodeIds.Int16);
    variable("Machine/Matrix", NodeIds.Double).setValue(new DataValue(
        Variant.ofMatrix(Matrix.ofDouble(new double[][] {{1, 2, 3}, {4, 5, 6}})), StatusCode.GOOD, new DateTime(BASE_TIME)));
    variable("Machine/Empty", NodeIds.Double).setValue(new DataValue(Variant.ofDoubleArray(new double[0]),
        StatusCode.GOOD, new DateTime(BASE_TIME)));
    UaVariableNode faulty = variable("Machine/Faulty", NodeIds.Double);
    faulty.setValue(new DataValue(new Variant(-1.0), new StatusCode(StatusCodes.Bad_SensorFailure),
        new DateTime(BASE_TIME)));
    advance();
  }

  private void advance() {
    if (temperature == null) {
      return;
    }
    long t = tick.getAndIncrement();
    DateTime sourceTime = new DateTime(BASE_TIME.plusSeconds(t));
    temperature.setValue(new DataValue(new Variant(20.0 + t / 2.0), StatusCode.GOOD, sourceTime));
    spindleSpeed.setValue(new DataValue(new Variant((int) (1000 + t)), StatusCode.GOOD, sourceTime));
    running.setValue(new DataValue(new Variant(t % 2 == 0), StatusCode.GOOD, sourceTime));
    mode.setValue(new DataValue(new Variant("mode-" + t), StatusCode.GOOD, sourceTime));
    double[] samples = new double[VIBRATION_SAMPLES];
    for (int k = 0; k < samples.length; k++) {
      samples[k] = vibration(t, k);
    }
    vibration.setValue(new DataValue(Variant.ofDoubleArray(samples), StatusCode.GOOD, sourceTime));
    short first = (short) t;
    counts.setValue(new DataValue(Variant.ofInt16Array(new short[] {first, (short) (first + 1), (short) (first + 2),
        (short) (first + 3)}), StatusCode.GOOD, sourceTime));
  }

  /** Sample {@code k} of Machine/Vibration at tick {@code t}: continuous from one tick to the next. */
  static double vibration(long t, int k) {
    return Math.sin(2 * Math.PI * VIBRATION_HZ * (t + (double) k / VIBRATION_SAMPLES));
  }

  private UaVariableNode variable(String name, NodeId dataType) {
    UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
        .setNodeId(newNodeId(name))
        .setAccessLevel(AccessLevel.READ_ONLY)
        .setUserAccessLevel(AccessLevel.READ_ONLY)
        .setBrowseName(newQualifiedName(name))
        .setDisplayName(LocalizedText.english(name))
        .setDataType(dataType)
        .setTypeDefinition(NodeIds.BaseDataVariableType)
        .build();
    node.addReference(new Reference(node.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(),
        Reference.Direction.INVERSE));
    getNodeManager().addNode(node);
    return node;
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsCreated(dataItems);
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsModified(dataItems);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsDeleted(dataItems);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    subscriptionModel.onMonitoringModeChanged(monitoredItems);
  }
}
