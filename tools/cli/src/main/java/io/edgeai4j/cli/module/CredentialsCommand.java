package io.edgeai4j.cli.module;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.cli.MqttOptions;
import io.edgeai4j.cli.StateDirectory;
import io.edgeai4j.edgehub.identity.EdgeCertificates;
import io.edgeai4j.edgehub.identity.ModuleCredentials;
import io.edgeai4j.edgehub.identity.ModuleKeys;
import io.edgeai4j.runtime.manifest.DeploymentManifest;
import io.edgeai4j.runtime.manifest.ManifestException;
import io.edgeai4j.runtime.manifest.ManifestModule;
import io.edgeai4j.runtime.manifest.ManifestParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edge module credentials <module>}: a module's {@code EdgeHubConnectionString} and
 * {@code EdgeModuleCACertificateFile}, as iotedgehubdev's {@code modulecred} prints them, from the same key file and
 * CA that {@code edge run --mqtt} uses (created here if this is the first time), so they stay valid across runs.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true,
    description = {
      "Prints what a module run by hand (any language, the unmodified Azure IoT SDK) needs to connect to edge run"
          + " --mqtt, as NAME=value lines: EdgeHubConnectionString=HostName=...;GatewayHostName=...;DeviceId=...;"
          + "ModuleId=...;SharedAccessKey=... and EdgeModuleCACertificateFile=<absolute path of edge-ca.pem>.",
      "The module's key and the edge CA are kept in the state directory (created on first use, readable by the user"
          + " only), the same that edge run --mqtt uses, so the values stay valid for later runs: e.g. eval"
          + " \"$(edge module credentials filter --manifest m.json | sed 's/^/export /')\" or docker run --env-file."
    })
public final class CredentialsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the credentials are printed. */
  enum Format { ENV, JSON }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<module>", description = "The module's name in the manifest.")
  String module;

  @Option(names = "--manifest", paramLabel = "FILE", description = "The deployment manifest whose modules have"
      + " identities. Without it, only modules already in the state directory's key file are known.")
  Path manifestFile;

  @Option(names = "--device-id", defaultValue = "local-edge-device",
      description = "The device id, as given to edge run (default: ${DEFAULT-VALUE}).")
  String deviceId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "The state directory, as given to edge run"
      + " (default: .edgeai4j/<device-id> in the working directory).")
  Path stateDirectory;

  @Option(names = "--gateway-host", paramLabel = "NAME", defaultValue = "localhost",
      description = "GatewayHostName: the name the module connects to; it must be one of the server certificate's"
          + " names, as edge run --gateway-host gives them (default: ${DEFAULT-VALUE}).")
  String gatewayHost;

  @Option(names = "--server-name", paramLabel = "NAME",
      description = "Another name of the server certificate, as edge run --server-name gives them. Repeatable.")
  List<String> serverNames = new ArrayList<>();

  @Option(names = "--iothub-host", paramLabel = "NAME", defaultValue = MqttOptions.DEFAULT_IOTHUB_HOST,
      description = "HostName of the connection string, as edge run --iothub-host (default: ${DEFAULT-VALUE}).")
  String iotHubHost;

  @Option(names = "--format", defaultValue = "env", paramLabel = "env|json",
      description = "NAME=value lines (default) or one JSON object.")
  Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StateDirectory state = StateDirectory.of(stateDirectory, deviceId);
    try {
      List<String> modules = new ArrayList<>();
      if (manifestFile != null) {
        if (!Files.isReadable(manifestFile)) {
          return fail(err, ExitCodes.NO_INPUT, "cannot read the manifest " + manifestFile);
        }
        DeploymentManifest manifest = ManifestParser.parse(manifestFile);
        manifest.modules().stream().map(ManifestModule::name).forEach(modules::add);
        if (!modules.contains(module)) {
          return fail(err, ExitCodes.USAGE, "no module '" + module + "' in " + manifestFile + "; its modules are "
              + new TreeSet<>(modules));
        }
      } else if (!Files.exists(state.moduleKeys())) {
        return fail(err, ExitCodes.USAGE, "no key file " + state.moduleKeys() + " yet: give --manifest FILE, whose"
            + " modules get keys (or the --state-dir and --device-id of the edge run that created it)");
      } else {
        // The modules that have keys already (ModuleKeys' file: {"deviceId": ..., "modules": {"<id>": key, ...}}).
        JSON.readTree(state.moduleKeys().toFile()).path("modules").fieldNames().forEachRemaining(modules::add);
      }
      ModuleKeys keys = ModuleKeys.open(state.moduleKeys(), deviceId, modules);
      if (!keys.moduleIds().contains(module)) {
        return fail(err, ExitCodes.USAGE, "no module '" + module + "' in " + state.moduleKeys() + "; its modules are "
            + new TreeSet<>(keys.moduleIds()) + " (give --manifest FILE to add a manifest's modules)");
      }
      List<String> names = new ArrayList<>(List.of(gatewayHost));
      names.addAll(serverNames);
      EdgeCertificates certificates = EdgeCertificates.loadOrCreate(state.pki(), deviceId, names,
          Clock.systemUTC());
      Map<String, String> values = new LinkedHashMap<>();
      values.put("EdgeHubConnectionString", ModuleCredentials.connectionString(iotHubHost, gatewayHost, deviceId,
          module, keys.keyBase64(module)));
      values.put("EdgeModuleCACertificateFile", certificates.caCertificateFile().toAbsolutePath().toString());
      if (format == Format.JSON) {
        ObjectNode json = JSON.createObjectNode();
        values.forEach(json::put);
        out.println(json.toPrettyString());
      } else {
        values.forEach((k, v) -> out.println(k + "=" + v));
      }
      out.flush();
      return ExitCodes.OK;
    } catch (ManifestException e) {
      return fail(err, ExitCodes.CONFIG, "cannot read " + manifestFile + ": " + e.getMessage());
    } catch (IOException e) {
      return fail(err, ExitCodes.CANT_CREATE, "cannot read or create the credentials in " + state.root() + ": "
          + e.getMessage());
    }
  }

  private static int fail(PrintWriter err, int code, String message) {
    err.println("edge module credentials: " + message);
    err.flush();
    return code;
  }
}
