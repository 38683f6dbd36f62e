package io.edgeai4j.azure;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import io.edgeai4j.module.spi.TransportException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The checks of a module's environment that {@code azure-iot-edge} ({@link AzureTransportProvider}) and
 * {@code edgehub-mqtt} ({@code io.edgeai4j.azure.edgehub.EdgeHubMqttTransportProvider}) share: both read
 * {@value #EDGE_HUB_CONNECTION_STRING} with {@value #CA_CERTIFICATE_FILE}, or the IoT Edge runtime's
 * {@code IOTEDGE_*} variables. Each provider passes its own list of runtime variables (the order its messages name
 * them in) and the name of what supports only {@code sasToken}. Stateless; thread-safe.
 */
public final class EdgeEnvironment {
  /** The module connection string iotedgehubdev and the edgehub endpoint set. */
  public static final String EDGE_HUB_CONNECTION_STRING = "EdgeHubConnectionString";
  /** The PEM file of the CA that signed edgeHub's server certificate, used with the connection string. */
  public static final String CA_CERTIFICATE_FILE = "EdgeModuleCACertificateFile";

  private static final Set<String> WORKLOAD_URI_SCHEMES = Set.of("unix", "http", "https");

  private EdgeEnvironment() {}

  /** Returns the variable's value, or null when it is unset or blank. */
  public static String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Why the runtime path cannot be taken, or null when it can: a runtime variable is missing (all of them: not an
   * IoT Edge module environment), {@code IOTEDGE_AUTHSCHEME} is not {@code sasToken}, or
   * {@code IOTEDGE_WORKLOADURI} is not a {@code unix://}, {@code http://} or {@code https://} URI.
   *
   * @param runtimeVariables The variables the provider requires, in the order its messages name them.
   * @param sasTokenOnly Who supports only {@code sasToken}, for the message (the SDK, or the provider's name).
   */
  public static String runtimeProblem(Map<String, String> environment, List<String> runtimeVariables,
      String sasTokenOnly) {
    List<String> missing = new ArrayList<>();
    for (String name : runtimeVariables) {
      if (value(environment, name) == null) {
        missing.add(name);
      }
    }
    if (missing.size() == runtimeVariables.size()) {
      return "Not an IoT Edge module environment: neither " + EDGE_HUB_CONNECTION_STRING + " (with "
          + CA_CERTIFICATE_FILE + ") nor any of the IoT Edge runtime variables " + runtimeVariables + " is set";
    }
    if (!missing.isEmpty()) {
      return "IoT Edge runtime environment is incomplete: missing " + String.join(", ", missing);
    }
    String authScheme = value(environment, "IOTEDGE_AUTHSCHEME");
    if (!"sasToken".equalsIgnoreCase(authScheme)) {
      return "IOTEDGE_AUTHSCHEME is '" + authScheme + "'; " + sasTokenOnly + " supports only sasToken";
    }
    String workloadUri = value(environment, "IOTEDGE_WORKLOADURI");
    String scheme;
    try {
      scheme = new URI(workloadUri).getScheme();
    } catch (URISyntaxException e) {
      return "IOTEDGE_WORKLOADURI is '" + workloadUri + "', which is not a URI: " + e.getMessage();
    }
    if (scheme == null || !WORKLOAD_URI_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
      return "IOTEDGE_WORKLOADURI is '" + workloadUri + "'; expected a unix://, http:// or https:// URI";
    }
    return null;
  }

  /** Why {@value #CA_CERTIFICATE_FILE} (given with the connection string) cannot be read, or null when it can. */
  public static String caFileProblem(String caFile) {
    if (caFile == null) {
      return EDGE_HUB_CONNECTION_STRING + " is set but " + CA_CERTIFICATE_FILE + " is missing: set it to the PEM"
          + " file of the CA that signed edgeHub's server certificate";
    }
    Path path;
    try {
      path = Path.of(caFile);
    } catch (InvalidPathException e) {
      return CA_CERTIFICATE_FILE + " is '" + caFile + "', which is not a file path";
    }
    if (!Files.isRegularFile(path)) {
      return CA_CERTIFICATE_FILE + " names " + caFile + ", which does not exist or is not a file";
    }
    if (!Files.isReadable(path)) {
      return CA_CERTIFICATE_FILE + " names " + caFile + ", which this process cannot read";
    }
    return null;
  }

  /**
   * Trusts the CA of {@value #CA_CERTIFICATE_FILE}.
   *
   * @throws TransportException (not retryable) If the file is not a usable PEM certificate.
   */
  public static SSLContext trustCaFile(String caFile) throws TransportException {
    try {
      return IotHubSSLContext.getSSLContextFromFile(caFile);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new TransportException(CA_CERTIFICATE_FILE + " names " + caFile + ", which is not a usable PEM"
          + " certificate: " + e.getMessage(), false, e);
    }
  }
}
