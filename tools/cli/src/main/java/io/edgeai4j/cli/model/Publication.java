package io.edgeai4j.cli.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai4j.cli.ExitCodes;
import io.edgeai4j.modelpackage.ModelRelease;
import io.edgeai4j.modelpackage.ReleaseSignatures;
import io.edgeai4j.modelpackage.TwinDocuments;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of {@code edge model publish}, in order: package, release (signed), documents checked against the twin
 * limits, then (unless a dry run) --check-url or the upload, and the twin patch or the deployment. Nothing is sent
 * before every check has passed. What it prints shows no SAS signature ({@link SasRedaction}); what it sends carries
 * the real URL. Single use, not thread-safe; holds nothing to close.
 */
final class Publication {
  /** The host of the placeholder URI a dry run without a storage connection string shows. */
  static final String PLACEHOLDER_ACCOUNT = "storage-account.blob.core.windows.net";

  private final PublishPlan plan;
  private final PrintWriter out;
  private final Consumer<String> warn;

  Publication(PublishPlan plan, PrintWriter out, Consumer<String> warn) {
    this.plan = plan;
    this.out = out;
    this.warn = warn;
  }

  /** Runs it; returns the exit code. */
  int run(Path workDir) throws PublishException {
    PreparedPackage pkg = plan.modelDir() != null
        ? PreparedPackage.fromDirectory(plan.modelDir(), workDir, warn)
        : PreparedPackage.fromZip(plan.packageFile(), workDir, warn);
    String name = name(pkg);
    long version = version(pkg);

    BlobUploader uploader = null;
    String blobName = null;
    URI uri;
    if (plan.destination() instanceof Destination.Blob blob) {
      blobName = Destination.Blob.blobName(name, version);
      if (blob.connectionString() != null) {
        uploader = new BlobUploader(blob.connectionString(), blob.source()); // parses the string; no request
      }
      // Until the upload, the placeholder: a dry run never signs a SAS, which would become a valid read credential
      // as soon as a blob of that name is uploaded.
      uri = URI.create("https://" + PLACEHOLDER_ACCOUNT + "/" + blob.container() + "/" + blobName
          + "?sas=made-at-upload");
    } else {
      uri = ((Destination.GivenUrl) plan.destination()).uri();
    }

    PrivateKey key = plan.signingKey() == null ? null : PublishCommand.readKey(plan.signingKey());
    ModelRelease release = sign(PublishCommand.release(name, version, uri, pkg, plan), key);
    List<ObjectNode> documents = documents(release);
    refuseProblems(release);

    if (plan.dryRun()) {
      printDryRun(pkg, release, key, blobName, documents);
      return ExitCodes.OK;
    }

    say("package: " + pkg.origin() + ": " + name + " version " + version + ", " + pkg.size() + " bytes,"
        + " sha256 " + pkg.sha256());
    say("signature: " + signatureLine(key));
    if (plan.destination() instanceof Destination.GivenUrl given) {
      if (given.check()) {
        UrlCheck.verify(given.uri(), pkg.sha256(), pkg.size(), plan.timeout());
        say("checked: " + UrlCheck.withoutQuery(given.uri()) + " holds the package");
      }
    } else {
      Destination.Blob blob = (Destination.Blob) plan.destination();
      BlobUploader.Uploaded uploaded =
          uploader.upload(pkg.file(), blob.container(), blobName, blob.overwrite(), blob.sasExpiry());
      release = sign(new ModelRelease(name, version, uploaded.sasUri(), pkg.sha256(), pkg.size(), null,
          release.format(), release.target(), release.activation(), release.notBefore(), release.expires(),
          release.rollback()), key);
      documents = documents(release);
      refuseProblems(release);
      say("uploaded: container '" + blob.container() + "', blob '" + blobName + "', " + pkg.size()
          + " bytes; read-only SAS URL expires " + uploaded.expiresOn());
    }
    say("release:");
    say(PublishCommand.pretty(release.toJson()));
    send(documents);
    return ExitCodes.OK;
  }

  private String name(PreparedPackage pkg) throws PublishException {
    if (plan.name() != null) {
      return plan.name();
    }
    String found = pkg.descriptorName() != null ? pkg.descriptorName() : pkg.directoryName();
    if (found == null) {
      throw new PublishException(ExitCodes.USAGE, "--name: missing; model.json has no name and the input is not a"
          + " <name>/<version> directory");
    }
    return found;
  }

  private long version(PreparedPackage pkg) throws PublishException {
    if (plan.version() != null) {
      return plan.version();
    }
    if (pkg.directoryVersion() == null) {
      throw new PublishException(ExitCodes.USAGE, "--version: missing; the input is not a <name>/<version> directory"
          + " whose last name is the version");
    }
    return pkg.directoryVersion();
  }

  private static ModelRelease sign(ModelRelease release, PrivateKey key) throws PublishException {
    if (key == null) {
      return release;
    }
    try {
      return release.withSignature(ReleaseSignatures.sign(release, key));
    } catch (IllegalArgumentException e) {
      throw new PublishException(ExitCodes.DATA_ERROR, "--signing-key: " + e.getMessage(), e);
    }
  }

  /** The twin patch, or the deployment(s) to create, in order. */
  private List<ObjectNode> documents(ModelRelease release) {
    List<ObjectNode> documents = new ArrayList<>();
    if (plan.audience() instanceof Audience.Fleet fleet) {
      String id = fleet.deploymentId() != null ? fleet.deploymentId()
          : PublishCommand.defaultDeploymentId(release.name(), release.version());
      if (fleet.canaryCondition() != null) {
        documents.add(ReleaseDocuments.layeredDeployment(id + "-canary", fleet.canaryTargetCondition(),
            fleet.priority() + 1, fleet.module(), release));
      } else {
        documents.add(ReleaseDocuments.layeredDeployment(id, fleet.targetCondition(), fleet.priority(),
            fleet.module(), release));
      }
    } else {
      documents.add(ReleaseDocuments.twinPatch(release));
    }
    return documents;
  }

  /** Refuses a release whose desired-properties document breaks the twin limits, listing every problem. */
  private static void refuseProblems(ModelRelease release) throws PublishException {
    List<String> problems = TwinDocuments.problems(ReleaseDocuments.twinPatch(release));
    if (!problems.isEmpty()) {
      throw new PublishException(ExitCodes.DATA_ERROR, "the desired properties would break IoT Hub's twin limits;"
          + " nothing was uploaded or sent:\n  " + String.join("\n  ", problems));
    }
  }

  private void send(List<ObjectNode> documents) throws PublishException {
    HubPublisher hub = new HubPublisher(plan.audience().hub(), plan.timeout());
    if (plan.audience() instanceof Audience.OneDevice one) {
      Integer desiredVersion = hub.patchModuleTwin(one.deviceId(), one.module(), documents.get(0));
      say("sent: module twin of device '" + one.deviceId() + "', module '" + one.module() + "': desired"
          + " properties patched" + (desiredVersion == null ? "" : " (desired version " + desiredVersion + ")"));
      return;
    }
    Audience.Fleet fleet = (Audience.Fleet) plan.audience();
    for (ObjectNode configuration : documents) {
      hub.createDeployment(configuration);
      say("sent: layered deployment '" + configuration.path("id").asText() + "' created (priority "
          + configuration.path("priority").asInt() + ", target condition "
          + configuration.path("targetCondition").asText() + ")");
    }
    if (fleet.canaryCondition() != null) {
      say("canary: watch it with edge model status " + documents.get(0).path("labels").path("edgeai4j-model")
          .asText() + "; widen it to " + fleet.targetCondition() + " with edge model promote, or delete it with"
          + " edge model abort");
    }
  }

  private void printDryRun(PreparedPackage pkg, ModelRelease release, PrivateKey key, String blobName,
      List<ObjectNode> documents) {
    say("dry run: nothing is uploaded or sent");
    say("package: " + pkg.origin() + ": " + release.name() + " version " + release.version() + ", "
        + pkg.size() + " bytes, sha256 " + pkg.sha256());
    say("signature: " + signatureLine(key));
    if (plan.destination() instanceof Destination.Blob blob) {
      say("would upload: container '" + blob.container() + "', blob '" + blobName + "', " + pkg.size()
          + " bytes, sha256 " + pkg.sha256() + (blob.overwrite() ? ", replacing a blob that exists" : ""));
      say("uri: a placeholder: the blob's read-only SAS URL is made at upload, valid for "
          + PublishCommand.formatDuration(blob.sasExpiry()));
    } else {
      Destination.GivenUrl given = (Destination.GivenUrl) plan.destination();
      say("would upload: nothing (--url" + (given.check() ? "; would download it and compare" : "") + ")");
    }
    say("release:");
    say(PublishCommand.pretty(release.toJson()));
    if (plan.audience() instanceof Audience.OneDevice one) {
      say("would patch: module twin of device '" + one.deviceId() + "', module '" + one.module()
          + "', desired properties:");
      say(PublishCommand.pretty(documents.get(0)));
    } else {
      for (ObjectNode configuration : documents) {
        say("would create: layered deployment '" + configuration.path("id").asText() + "':");
        say(PublishCommand.pretty(configuration));
      }
    }
  }

  /** Prints a line with the signature of every SAS URL in it redacted: stdout is logged, shared, pasted. */
  private void say(String line) {
    out.println(SasRedaction.redact(line));
  }

  private static String signatureLine(PrivateKey key) {
    if (key == null) {
      return "none (model-update refuses it unless it has no public key and allowUnsignedReleases is true)";
    }
    return "EC".equals(key.getAlgorithm()) ? "ECDSA P-256 (SHA256withECDSA)" : "Ed25519";
  }
}
