package io.edgeai4j.runtime.nested;

import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.RuntimeStartException;
import io.edgeai4j.runtime.link.EmulatedLink;
import io.edgeai4j.runtime.link.LinkOptions;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several IoT Edge devices in one process, as a nested IoT Edge hierarchy: one {@link LocalEdgeRuntime} per device
 * (device id = its name; its own hub, modules, twins, admin endpoint and metrics), and for each child an
 * {@link EmulatedLink} that carries its {@code $upstream} messages to its parent's edgeHub, where they arrive as
 * messages from that child device ({@link io.edgeai4j.runtime.hub.LocalEdgeHub#publishFromChildDevice}) and are
 * routed by the parent's routes. The top device's {@code $upstream} goes to the upstream file, as {@code edge run}
 * writes it for one device.
 *
 * <p>Ports: the device at position {@code i} in the map (0 for the first) gets the admin port and the metrics port of
 * the base options plus {@code i}; a base port of 0 gives every device a free port. Each device has its own metrics
 * registry (the top device the base options' one), so that the same metric names do not clash. With a base admin
 * token file, device {@code d} writes its token to {@code <dir>/<d>-<file name>}.
 *
 * <p>Devices start parents first; {@link #close()} stops children first (each child's hub hands its waiting
 * {@code $upstream} messages to its link, the link drains into the parent, then the parent stops). Thread-safe; the
 * creator owns it; {@code close()} is idempotent.
 */
public final class DeviceHierarchy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceHierarchy.class);

  private final Topology topology;
  private final Map<String, LocalEdgeRuntime> runtimes;
  private final Map<String, EmulatedLink> links;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private DeviceHierarchy(Topology topology, Map<String, LocalEdgeRuntime> runtimes, Map<String, EmulatedLink> links) {
    this.topology = topology;
    this.runtimes = runtimes;
    this.links = links;
  }

  /**
   * Starts every device with the default {@link LinkOptions}.
   *
   * @see #start(Map, List, RuntimeOptions, LinkOptions)
   */
  public static DeviceHierarchy start(Map<String, DeploymentManifest> devices, List<DeviceLink> links,
      RuntimeOptions options) throws RuntimeStartException {
    return start(devices, links, options, LinkOptions.builder().build());
  }

  /**
   * Checks the topology, then starts every device, parents first.
   *
   * @param devices Device name (also its device id) to manifest, in the order ports are given out.
   * @param links Child to parent links; none for a single device.
   * @param options The base options: the top device's upstream file, console and registry; the first admin and
   *     metrics ports; module factories; drain timeout. Their device id and {@code upstream} are replaced.
   * @param linkOptions Retransmission timeout, bound and random source of every link.
   * @return The running hierarchy, owned by the caller.
   * @throws IllegalArgumentException If the topology is refused (see {@link Topology#of}).
   * @throws RuntimeStartException If a device cannot start, naming it; what had started is stopped.
   */
  public static DeviceHierarchy start(Map<String, DeploymentManifest> devices, List<DeviceLink> links,
      RuntimeOptions options, LinkOptions linkOptions) throws RuntimeStartException {
    Topology topology = Topology.of(devices.keySet(), links);
    Map<String, LocalEdgeRuntime> runtimes = new LinkedHashMap<>();
    Map<String, EmulatedLink> started = new LinkedHashMap<>();
    try {
      for (String name : topology.startOrder()) {
        int index = topology.devices().indexOf(name);
        RuntimeOptions.Builder device = RuntimeOptions.Builder.from(options)
            .deviceId(name)
            .adminPort(offset(options.adminAddress().getPort(), index))
            .metricsAddress(options.metricsAddress() == null ? null
                : new InetSocketAddress(options.metricsAddress().getAddress(),
                    offset(options.metricsAddress().getPort(), index)))
            .adminTokenFile(tokenFile(options.adminTokenFile(), name, devices.size()))
            .upstream(null);
        Optional<DeviceLink> uplink = topology.uplink(name);
        if (uplink.isPresent()) {
          DeviceLink l = uplink.get();
          PrometheusRegistry registry = new PrometheusRegistry();
          EmulatedLink link = new EmulatedLink(l.name(), l.spec(), linkOptions,
              runtimes.get(l.parent()).hub()::publishFromChildDevice, registry);
          started.put(name, link);
          device.registry(registry).upstream(link).console(null);
        }
        LocalEdgeRuntime runtime;
        try {
          runtime = LocalEdgeRuntime.start(devices.get(name), device.build());
        } catch (RuntimeStartException e) {
          throw new RuntimeStartException("device '" + name + "': " + e.getMessage(), e);
        }
        runtimes.put(name, runtime);
        if (started.containsKey(name)) {
          started.get(name).whenUp(runtime.hub()::retryUpstream);
        }
        LOG.info("Device '{}' started{}", name, uplink.map(l -> ", linked to '" + l.parent() + "' over " + l.spec())
            .orElse(" (top)"));
      }
    } catch (RuntimeStartException | RuntimeException e) {
      closeAll(topology, runtimes, started);
      throw e;
    }
    return new DeviceHierarchy(topology, Collections.unmodifiableMap(runtimes), Collections.unmodifiableMap(started));
  }

  private static int offset(int port, int index) {
    return port == 0 ? 0 : port + index;
  }

  private static Path tokenFile(Path base, String device, int devices) {
    if (base == null || devices == 1) {
      return base;
    }
    return base.resolveSibling(device + "-" + base.getFileName());
  }

  /** Returns the topology. */
  public Topology topology() {
    return topology;
  }

  /**
   * Returns a device's runtime.
   *
   * @throws IllegalArgumentException If there is no such device, naming those there are.
   */
  public LocalEdgeRuntime runtime(String name) {
    LocalEdgeRuntime runtime = runtimes.get(name);
    if (runtime == null) {
      throw new IllegalArgumentException("no device '" + name + "'; devices: " + topology.devices());
    }
    return runtime;
  }

  /** Returns the link from a device to its parent; empty for the top device. */
  public Optional<EmulatedLink> uplink(String device) {
    runtime(device);
    return Optional.ofNullable(links.get(device));
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops every device, children first, each child's link after the child and before the parent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closeAll(topology, runtimes, links);
    stopped.countDown();
  }

  private static void closeAll(Topology topology, Map<String, LocalEdgeRuntime> runtimes,
      Map<String, EmulatedLink> links) {
    List<String> order = new ArrayList<>(topology.startOrder());
    for (ListIterator<String> it = order.listIterator(order.size()); it.hasPrevious(); ) {
      String name = it.previous();
      LocalEdgeRuntime runtime = runtimes.get(name);
      if (runtime != null) {
        runtime.close();
      }
      EmulatedLink link = links.get(name);
      if (link != null) {
        link.close();
      }
    }
  }
}
