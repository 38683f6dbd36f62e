package io.edgeai4j.cli;

import io.edgeai4j.runtime.LocalEdgeRuntime;
import io.edgeai4j.runtime.ModuleRole;
import io.edgeai4j.runtime.RuntimeOptions;
import io.edgeai4j.runtime.RuntimeStartException;
import io.edgeai4j.runtime.link.EmulatedLink;
import io.edgeai4j.runtime.link.LinkStats;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.nested.DeviceHierarchy;
import io.edgeai4j.runtime.nested.DeviceLink;
import io.edgeai4j.runtime.nested.Topology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code edge run --device NAME=MANIFEST ... --link CHILD-PARENT=SPEC ...}: several manifests as the devices of a
 * nested IoT Edge hierarchy ({@link DeviceHierarchy}). Arguments are checked first (exit 2 naming the bad one), then
 * every manifest as {@code edge run <manifest>} checks it (exit 66 or 78), then the topology (exit 2). Not
 * thread-safe; one per invocation.
 */
final class DevicesRun {
  private static final String NAME = "edge run";

  private final RunCommand command;
  private final PrintWriter err;

  DevicesRun(RunCommand command, PrintWriter err) {
    this.command = command;
    this.err = err;
  }

  int run() throws InterruptedException {
    if (command.manifestFile != null) {
      return usage("give either <manifest> or --device NAME=MANIFEST, not both (found " + command.manifestFile
          + " and --device " + String.join(" --device ", command.devices) + ")");
    }
    if (command.devices.isEmpty()) {
      return usage("--link needs the devices it joins: add --device NAME=MANIFEST for each");
    }
    if (command.spec.commandLine().getParseResult().hasMatchedOption("--device-id")) {
      return usage("--device-id applies to edge run <manifest>; with --device, each device's id is its NAME");
    }
    for (String option : MqttOptions.NAMES) {
      if (command.spec.commandLine().getParseResult().hasMatchedOption(option)) {
        return usage(option + " applies to edge run <manifest>; a --device hierarchy runs in-process only");
      }
    }
    Map<String, Path> files = new LinkedHashMap<>();
    for (String device : command.devices) {
      int eq = device.indexOf('=');
      if (eq <= 0 || eq == device.length() - 1) {
        return usage("--device '" + device + "': expected NAME=MANIFEST, e.g. sensor=child.json");
      }
      String name = device.substring(0, eq);
      if (files.put(name, Path.of(device.substring(eq + 1))) != null) {
        return usage("--device '" + device + "': device '" + name + "' is given twice; each device needs its own"
            + " name");
      }
    }
    List<DeviceLink> links = new ArrayList<>();
    try {
      for (String link : command.links) {
        links.add(DeviceLink.parse(link, files.keySet()));
      }
      Topology.of(files.keySet(), links);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    Map<String, DeploymentManifest> manifests = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : files.entrySet()) {
      Optional<DeploymentManifest> read = LocalRuns.readManifest(e.getValue(), command.modulesDirectory, err, NAME);
      if (read.isEmpty()) {
        return LocalRuns.refusalExitCode(e.getValue());
      }
      manifests.put(e.getKey(), read.get());
    }
    RuntimeOptions options = command.ports.applyTo(RuntimeOptions.builder())
        .upstreamFile(command.upstreamFile)
        .console(command.quiet ? null : System.out)
        .registry(LocalRuns.registry())
        .build();
    DeviceHierarchy hierarchy;
    try {
      hierarchy = DeviceHierarchy.start(manifests, links, options);
    } catch (RuntimeStartException | RuntimeException e) {
      err.println(NAME + ": " + e.getMessage());
      err.flush();
      return ExitCodes.SOFTWARE;
    }
    printStart(hierarchy);
    LocalRuns.awaitEnd(hierarchy::close, hierarchy::awaitStopped, command.duration, err, NAME);
    printEnd(hierarchy);
    return ExitCodes.OK;
  }

  private int usage(String message) {
    err.println(NAME + ": " + message);
    err.flush();
    return ExitCodes.USAGE;
  }

  private void printStart(DeviceHierarchy hierarchy) {
    Topology topology = hierarchy.topology();
    int links = topology.links().size();
    err.println(NAME + ": " + topology.devices().size() + " devices, " + links + (links == 1 ? " link" : " links")
        + "; top device '" + topology.top() + "'");
    for (String name : topology.startOrder()) {
      LocalEdgeRuntime runtime = hierarchy.runtime(name);
      String role = topology.uplink(name).map(l -> "child of '" + l.parent() + "'").orElse("top");
      err.println("device '" + name + "' (" + role + "): " + runtime.manifest().modules().size() + " modules, "
          + runtime.manifest().routes().size() + " routes");
      for (Map.Entry<String, ModuleRole> e : runtime.roles().entrySet()) {
        String image = runtime.manifest().module(e.getKey()).map(m -> m.image()).orElse("?");
        err.printf("  %-24s %-8s %s%n", e.getKey(), e.getValue().name().toLowerCase(Locale.ROOT), image);
      }
      err.println("  admin:    http://127.0.0.1:" + runtime.adminPort() + "  (edge twin / edge method --admin-port "
          + runtime.adminPort() + "; token in " + runtime.adminTokenFile().toAbsolutePath() + ")");
      if (runtime.metricsPort() >= 0) {
        err.println("  metrics:  http://localhost:" + runtime.metricsPort() + "/metrics");
      }
      Optional<EmulatedLink> uplink = hierarchy.uplink(name);
      if (uplink.isPresent()) {
        EmulatedLink link = uplink.get();
        err.println("  upstream: link " + link.name() + " (" + link.spec() + ") to device '"
            + topology.uplink(name).orElseThrow().parent() + "'");
      } else {
        err.println("  upstream: " + runtime.upstreamFile().toAbsolutePath());
      }
    }
    for (DeviceLink l : topology.links()) {
      err.println("link " + l.name() + ": " + l.spec() + " (bandwidth/one-way latency[/loss]); a lost transmission"
          + " is sent again after max(200 ms, 2 × latency + serialization)");
    }
    err.flush();
  }

  private void printEnd(DeviceHierarchy hierarchy) {
    for (DeviceLink l : hierarchy.topology().links()) {
      LinkStats s = hierarchy.uplink(l.child()).orElseThrow().stats();
      err.println(NAME + ": link " + l.name() + ": " + s.messages() + " messages, " + s.bytes() + " bytes, "
          + s.retransmissions() + " retransmissions, " + s.deferred() + " deferred, transit mean "
          + millis(s.meanTransit().toNanos()) + ", max " + millis(s.maxTransit().toNanos())
          + (s.queued() > 0 ? ", " + s.queued() + " left on the link" : ""));
    }
    err.flush();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
