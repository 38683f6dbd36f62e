package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.DurationConverter;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.Activation;
import io.edgeai4j.modelpackage.ModelFormat;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.Precision;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.modelpackage.Target;
import io.edgeai4j.modelpackage.TwinDocuments;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code edge model publish}: packages a model version, hashes and signs it, uploads it to Azure Blob Storage (or
 * takes a URL), and writes the release into the desired properties of the model-update module of one device (its
 * module twin) or of a fleet (an IoT Hub layered deployment, optionally a canary first). See the cli README.
 */
@Command(name = "publish", sortOptions = false,
    description = {"Publishes a model version: builds the package (model.onnx, model.json, golden.json), computes its"
        + " sha256 and size, signs it (--signing-key), uploads it to Azure Blob Storage with a read-only SAS URL (or"
        + " takes --url), and sets models.<name> in the desired properties of the model-update module: on one device"
        + " (--device, its module twin) or on a fleet (--target-condition, a layered deployment; --canary-condition"
        + " for a canary first).",
        "Connection strings come from the options or from AZURE_STORAGE_CONNECTION_STRING and"
        + " IOTHUB_CONNECTION_STRING. --dry-run prints what would be uploaded and sent and needs neither."})
public final class PublishCommand implements Callable<Integer> {
  /** The environment variable read when --storage-connection-string is not given. */
  public static final String STORAGE_ENV = "AZURE_STORAGE_CONNECTION_STRING";
  /** The environment variable read when --hub-connection-string is not given. */
  public static final String HUB_ENV = "IOTHUB_CONNECTION_STRING";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** IoT Hub configuration ids: lower-case letters, digits and these marks, at most 128 characters. */
  private static final Pattern DEPLOYMENT_ID = Pattern.compile("[a-z0-9\\-:+%_#*?!(),=@;$']{1,128}");
  private static final String CANARY_SUFFIX = "-canary";

  /** Activation policies; picocli reads them case-insensitively. */
  enum Policy { IMMEDIATE, WINDOW }

  /** Where the model comes from: exactly one. */
  static final class Input {
    @Option(names = "--model-dir", required = true, paramLabel = "DIR",
        description = "Holds model.onnx, model.json and (recommended) golden.json; e.g. a repository version"
            + " directory <name>/<version>.")
    Path modelDir;

    @Option(names = "--package", required = true, paramLabel = "FILE.zip",
        description = "A package already built (checked before it is published).")
    Path packageFile;
  }

  @Spec CommandSpec spec;

  // Not mixinStandardHelpOptions: its --version (print the CLI's version) would take the model's --version.
  @Option(names = {"-h", "--help"}, usageHelp = true, order = 0, description = "Show this help message and exit.")
  boolean help;

  @ArgGroup(exclusive = true, multiplicity = "1", order = 1) Input input;

  @Option(names = "--name", order = 2, description = "The model's name. Default: model.json's name, else the"
      + " <name> of a <name>/<version> directory.")
  String name;

  @Option(names = "--version", order = 3, paramLabel = "N",
      description = "The version, at least 1. Default: the <version> of a <name>/<version> directory.")
  Long version;

  @Option(names = "--signing-key", order = 4, paramLabel = "PEM",
      description = "A PKCS#8 Ed25519 or P-256 private key (edge model keygen) to sign the release with.")
  Path signingKey;

  @Option(names = "--format", order = 5, defaultValue = "onnx", description = "Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--backend", order = 6, description = "Target backend: onnxruntime-cpu, onnxruntime-cuda or"
      + " tensorrt (informational for the device).")
  String backend;

  @Option(names = "--precision", order = 7, description = "Target precision: fp32, fp16 or int8.")
  String precision;

  @Option(names = "--activation", order = 8, defaultValue = "immediate", paramLabel = "immediate|window",
      description = "Activate when staged, or only inside a daily window. Default: ${DEFAULT-VALUE}.")
  Policy activation;

  @Option(names = "--window-start", order = 9, paramLabel = "HH:mm") String windowStart;

  @Option(names = "--window-end", order = 10, paramLabel = "HH:mm",
      description = "May be before the start: the window then crosses midnight.")
  String windowEnd;

  @Option(names = "--window-zone", order = 11, paramLabel = "ZONE",
      description = "An IANA zone id, e.g. Europe/Berlin. Default: UTC.")
  String windowZone;

  @Option(names = "--not-before", order = 11, paramLabel = "INSTANT",
      description = "Devices activate the release only from then on, e.g. 2027-01-01T00:00:00Z (signed).")
  String notBefore;

  @Option(names = "--expires", order = 11, paramLabel = "INSTANT|DURATION",
      description = "Devices refuse the release from then on (signed): an instant such as 2027-01-01T00:00:00Z, or a"
          + " duration from now such as 90d. Default: no expiry.")
  String expires;

  @Option(names = "--rollback", order = 11,
      description = "The release may replace a newer active version (signed); devices refuse an older version"
          + " without it.")
  boolean rollback;

  @Option(names = "--url", order = 12, paramLabel = "URL",
      description = "Upload nothing: the package is already at this https URL.")
  String url;

  @Option(names = "--check-url", order = 13,
      description = "With --url: download it first and compare its size and sha256 with the package.")
  boolean checkUrl;

  @Option(names = "--storage-connection-string", order = 14, paramLabel = "STRING",
      description = "Azure Storage connection string with an account key. Default: $" + STORAGE_ENV + ".")
  String storageConnectionString;

  @Option(names = "--container", order = 15, defaultValue = "models",
      description = "Blob container (created when missing). Default: ${DEFAULT-VALUE}. The blob is"
          + " <name>/<version>/package.zip.")
  String container;

  @Option(names = "--overwrite", order = 16, description = "Replace the blob when it exists (refused otherwise).")
  boolean overwrite;

  @Option(names = "--sas-expiry", order = 17, defaultValue = "30d", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "How long the read-only SAS URL is valid, e.g. 30d, 12h."
          + " Default: ${DEFAULT-VALUE}.")
  Duration sasExpiry;

  @Option(names = "--device", order = 18, paramLabel = "ID", description = "One device: patch its module twin.")
  String device;

  @Option(names = "--target-condition", order = 19, paramLabel = "COND",
      description = "A fleet: create a layered deployment for the devices it selects, e.g. \"tags.site='plant-7'\".")
  String targetCondition;

  @Option(names = "--priority", order = 20, defaultValue = "10", paramLabel = "N",
      description = "The layered deployment's priority (higher wins). Default: ${DEFAULT-VALUE}.")
  int priority;

  @Option(names = "--deployment-id", order = 21, paramLabel = "ID",
      description = "Default: model-<name>-<version> in lower case.")
  String deploymentId;

  @Option(names = "--canary-condition", order = 22, paramLabel = "COND",
      description = "With --target-condition: create only a canary deployment <id>-canary for the devices both"
          + " conditions select ((<target>) AND (<canary>)), at priority + 1; widen later by publishing again"
          + " without it.")
  String canaryCondition;

  @Option(names = "--module", order = 23, defaultValue = "model-update",
      description = "The module whose desired properties get the release. Default: ${DEFAULT-VALUE}.")
  String module;

  @Option(names = "--hub-connection-string", order = 24, paramLabel = "STRING",
      description = "IoT Hub service connection string (policy with ServiceConnect, and RegistryWrite for"
          + " deployments). Default: $" + HUB_ENV + ".")
  String hubConnectionString;

  @Option(names = "--timeout", order = 25, defaultValue = "60s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "For each IoT Hub request and for --check-url. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--dry-run", order = 26,
      description = "Print what would be uploaded and sent; upload and send nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path workDir = null;
    try {
      PublishPlan plan = plan();
      workDir = Files.createTempDirectory("edge-model-publish");
      return new Publication(plan, out, line -> err.println("edge model publish: warning: " + line)).run(workDir);
    } catch (PublishException e) {
      err.println("edge model publish: " + SasRedaction.redact(e.getMessage())); // --url may carry a SAS
      if (e.exitCode() == ExitCodes.USAGE) {
        err.println("(edge model publish --help lists the options)");
      }
      return e.exitCode();
    } catch (IOException e) {
      err.println("edge model publish: cannot create a work directory: " + e);
      return ExitCodes.SOFTWARE;
    } finally {
      if (workDir != null) {
        WorkDirectories.deleteQuietly(workDir, err);
      }
    }
  }

  /** Checks the options against each other; the exception ({@link ExitCodes#USAGE}) names the option. */
  PublishPlan plan() throws PublishException {
    if (signingKey != null && !Files.isRegularFile(signingKey)) {
      throw usage("--signing-key: '" + signingKey + "' is not a file");
    }
    ModelFormat modelFormat = parse("--format", () -> ModelFormat.parse(format));
    Precision targetPrecision = precision == null ? null : parse("--precision", () -> Precision.parse(precision));
    Target target = backend == null && precision == null ? null
        : parse("--backend", () -> new Target(backend, targetPrecision));
    Activation policy = activation();
    if (name != null && !name.matches("[A-Za-z0-9_-]{1,128}")) {
      throw usage("--name: expected 1 to 128 characters from A-Z a-z 0-9 _ - (a twin key, so no '.'), found '"
          + name + "'");
    }
    if (version != null && version < 1) {
      throw usage("--version: expected an integer >= 1, found " + version);
    }
    Instant notBeforeInstant = notBefore == null ? null : instant("--not-before", notBefore);
    Instant expiresInstant = expires();
    if (notBeforeInstant != null && expiresInstant != null && !expiresInstant.isAfter(notBeforeInstant)) {
      throw usage("--expires: expected an instant after --not-before " + notBeforeInstant + ", found "
          + expiresInstant);
    }
    Destination destination = destination();
    Audience audience = audience();
    return new PublishPlan(input.modelDir, input.packageFile, name, version, signingKey, modelFormat, target, policy,
        destination, audience, timeout, dryRun, notBeforeInstant, expiresInstant, rollback);
  }

  /** --expires: an instant, or a duration from now; refused when not in the future (devices would refuse it). */
  private Instant expires() throws PublishException {
    if (expires == null) {
      return null;
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant at;
    if (Character.isDigit(expires.charAt(0)) && expires.contains("T")) {
      at = instant("--expires", expires);
    } else {
      try {
        at = now.plus(new DurationConverter().convert(expires));
      } catch (TypeConversionException e) {
        throw usage("--expires: expected an instant such as 2027-01-01T00:00:00Z or a duration such as 90d, found '"
            + expires + "'");
      }
    }
    if (!at.isAfter(now)) {
      throw usage("--expires: " + at + " is not in the future; devices would refuse the release");
    }
    return at;
  }

  private static Instant instant(String option, String text) throws PublishException {
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    } catch (DateTimeParseException e) {
      throw usage(option + ": expected an ISO-8601 instant with an offset such as 2027-01-01T00:00:00Z, found '"
          + text + "'");
    }
  }

  private Activation activation() throws PublishException {
    boolean windowOptions = windowStart != null || windowEnd != null || windowZone != null;
    if (activation == Policy.IMMEDIATE) {
      if (windowOptions) {
        throw usage("--window-start, --window-end and --window-zone need --activation window");
      }
      return Activation.IMMEDIATE;
    }
    if (windowStart == null || windowEnd == null) {
      throw usage("--activation window: expected --window-start HH:mm and --window-end HH:mm");
    }
    LocalTime start = time("--window-start", windowStart);
    LocalTime end = time("--window-end", windowEnd);
    ZoneId zone = ZoneId.of("UTC");
    if (windowZone != null) {
      try {
        zone = ZoneId.of(windowZone);
      } catch (DateTimeException e) {
        throw usage("--window-zone: expected an IANA zone id such as Europe/Berlin, found '" + windowZone + "'");
      }
    }
    LocalTime s = start;
    LocalTime en = end;
    ZoneId z = zone;
    return parse("--window-end", () -> new Activation.Window(s, en, z));
  }

  private LocalTime time(String option, String text) throws PublishException {
    try {
      if (!text.matches("\\d\\d:\\d\\d")) {
        throw new DateTimeParseException("not HH:mm", text, 0);
      }
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw usage(option + ": expected HH:mm (00:00 to 23:59), found '" + text + "'");
    }
  }

  private Destination destination() throws PublishException {
    boolean storageOptions = storageConnectionString != null || overwrite || matched("--container")
        || matched("--sas-expiry");
    if (url != null) {
      if (storageOptions) {
        throw usage("--url: nothing is uploaded, so --storage-connection-string, --container, --overwrite and"
            + " --sas-expiry do not apply");
      }
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw usage("--url: expected an absolute https URL, found '" + url + "': " + e.getReason());
      }
      return new Destination.GivenUrl(uri, checkUrl);
    }
    if (checkUrl) {
      throw usage("--check-url needs --url");
    }
    if (!container.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
      throw usage("--container: expected 3 to 63 characters from a-z 0-9 - (no leading, trailing or double -),"
          + " found '" + container + "'");
    }
    String connection = storageConnectionString != null ? storageConnectionString : System.getenv(STORAGE_ENV);
    String source = storageConnectionString != null ? "--storage-connection-string" : STORAGE_ENV;
    if (connection == null || connection.isBlank()) {
      if (!dryRun) {
        throw usage("--storage-connection-string: missing (nor is " + STORAGE_ENV + " set); it is needed to upload"
            + " the package (or give --url, or --dry-run)");
      }
      connection = null;
    }
    return new Destination.Blob(connection, source, container, overwrite, sasExpiry);
  }

  private Audience audience() throws PublishException {
    if (module == null || !module.matches("[A-Za-z0-9_-]{1,64}")) {
      throw usage("--module: expected a module name from A-Z a-z 0-9 _ -, found '" + module + "'");
    }
    if (canaryCondition != null && targetCondition == null) {
      throw usage("--canary-condition needs --target-condition: the canary deployment selects the devices both"
          + " conditions select, a part of the fleet");
    }
    if ((device == null) == (targetCondition == null)) {
      throw usage(device == null
          ? "expected --device ID (one device: its module twin) or --target-condition COND (a fleet: a layered"
              + " deployment)"
          : "--device and --target-condition exclude each other: one device, or a fleet");
    }
    String connection = hubConnectionString != null ? hubConnectionString : System.getenv(HUB_ENV);
    String source = hubConnectionString != null ? "--hub-connection-string" : HUB_ENV;
    HubConnection hub = null;
    if (connection != null && !connection.isBlank()) {
      try {
        hub = HubConnection.parse(connection, source);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    } else if (!dryRun) {
      throw usage("--hub-connection-string: missing (nor is " + HUB_ENV + " set); it is needed to write the twin"
          + " or the deployment (or --dry-run)");
    }
    if (device != null) {
      for (String option : new String[] {"--priority", "--deployment-id"}) {
        if (matched(option)) {
          throw usage(option + " applies to a fleet (--target-condition), not to --device");
        }
      }
      if (device.isBlank() || device.length() > 128) {
        throw usage("--device: expected a device id of 1 to 128 characters, found '" + device + "'");
      }
      return new Audience.OneDevice(hub, device, module);
    }
    if (targetCondition.isBlank()) {
      throw usage("--target-condition: expected a condition such as \"tags.site='plant-7'\", found nothing");
    }
    if (canaryCondition != null && canaryCondition.isBlank()) {
      throw usage("--canary-condition: expected a condition, found nothing");
    }
    if (priority < 0 || (canaryCondition != null && priority == Integer.MAX_VALUE)) {
      throw usage("--priority: expected 0 to " + (Integer.MAX_VALUE - (canaryCondition == null ? 0 : 1))
          + (canaryCondition == null ? "" : " (the canary gets priority + 1)") + ", found " + priority);
    }
    if (deploymentId != null) {
      int room = canaryCondition == null ? 128 : 128 - CANARY_SUFFIX.length();
      if (!DEPLOYMENT_ID.matcher(deploymentId).matches() || deploymentId.length() > room) {
        throw usage("--deployment-id: expected 1 to " + room + " characters from a-z 0-9 - : + % _ # * ? ! ( ) , = @"
            + " ; $ ' (IoT Hub configuration ids), found '" + deploymentId + "'");
      }
    }
    return new Audience.Fleet(hub, deploymentId, targetCondition, priority, canaryCondition, module);
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private static PublishException usage(String message) {
    return new PublishException(ExitCodes.USAGE, message);
  }

  private interface Parse<T> {
    T get();
  }

  private static <T> T parse(String option, Parse<T> parse) throws PublishException {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
  }

  /** {@code 30d} for whole days, else as {@link DurationConverter#format}. */
  static String formatDuration(Duration d) {
    return d.toSeconds() % 86400 == 0 && d.getNano() == 0 ? d.toDays() + "d" : DurationConverter.format(d);
  }

  /** The default deployment id: {@code model-<name>-<version>}, lower case. */
  static String defaultDeploymentId(String name, long version) {
    return ("model-" + name + "-" + version).toLowerCase(Locale.ROOT);
  }

  /** The release's documents, checked against the twin limits; every problem, or none. */
  static List<String> twinProblems(ObjectNode patch) {
    return new ArrayList<>(TwinDocuments.problems(patch));
  }

  static String pretty(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static PrivateKey readKey(Path file) throws PublishException {
    try {
      return ReleaseSignatures.readPrivateKey(Files.readString(file));
    } catch (IOException e) {
      throw new PublishException(ExitCodes.NO_INPUT, "--signing-key: cannot read '" + file + "': " + e, e);
    } catch (IllegalArgumentException e) {
      throw new PublishException(ExitCodes.DATA_ERROR, "--signing-key: '" + file + "': " + e.getMessage(), e);
    }
  }

  static ModelRelease release(String name, long version, URI uri, PreparedPackage pkg, PublishPlan plan)
      throws PublishException {
    try {
      return new ModelRelease(name, version, uri, pkg.sha256(), pkg.size(), null, plan.format(), plan.target(),
          plan.activation(), plan.notBefore(), plan.expires(), plan.rollback());
    } catch (IllegalArgumentException e) {
      String option = e.getMessage().contains(".uri") ? "--url" : e.getMessage().contains(".version") ? "--version"
          : "--name";
      throw new PublishException(ExitCodes.USAGE, option + ": " + e.getMessage(), e);
    }
  }
}
