package io.edgeai4j.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.cli.CliRun;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code edge manifest generate|validate} on the committed deployment. The golden manifests are test resources
 * ({@code deployment.<platform>.json} here), not files under {@code deployment-manifests/config/}: that folder is
 * what {@code generate} writes, with the user's real {@code .env}, so it is git-ignored. The template generates
 * exactly the golden files from {@code .env.example} in a temporary copy of {@code deployment-manifests/}, and they
 * pass validation against the real {@code modules/*}{@code /module.json}.
 */
class ManifestCommandTest {
  /** The repository root: tests run in tools/cli. */
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path MANIFESTS = ROOT.resolve("deployment-manifests");
  private static final Path MODULES = ROOT.resolve("modules");
  private static final String[] PLATFORMS = {"amd64", "amd64.gpu", "arm64v8"};

  @TempDir Path directory;

  @Test
  void theCommittedTemplateGeneratesTheGoldenManifests() throws IOException {
    Path template = Files.copy(MANIFESTS.resolve("deployment.template.json"),
        directory.resolve("deployment.template.json"));

    CliRun run = CliRun.of("manifest", "generate", "--env", MANIFESTS.resolve(".env.example").toString(),
        "--modules", MODULES.toString(), template.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    for (String platform : PLATFORMS) {
      Path generated = directory.resolve("config/deployment." + platform + ".json");
      assertThat(run.out()).contains("wrote " + generated);
      assertThat(Files.readString(generated)).as(platform).isEqualTo(golden(platform));
    }
  }

  /**
   * The README's walk-through as written: {@code .env} copied from {@code .env.example} next to the template, no
   * {@code --env} or {@code --modules}; {@code MODULES_PATH=../modules} finds the module folders.
   */
  @Test
  void theWalkThroughsDefaultsFindTheEnvFileAndTheModules() throws IOException {
    Path manifests = Files.createDirectory(directory.resolve("deployment-manifests"));
    Path link = Files.createSymbolicLink(directory.resolve("modules"), MODULES);
    Path template = Files.copy(MANIFESTS.resolve("deployment.template.json"),
        manifests.resolve("deployment.template.json"));
    Files.copy(MANIFESTS.resolve(".env.example"), manifests.resolve(".env"));

    CliRun run;
    try {
      run = CliRun.of("manifest", "generate", "--platform", "arm64v8", template.toString());
    } finally {
      Files.delete(link);
    }

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(manifests.resolve("config/deployment.arm64v8.json"))).isEqualTo(golden("arm64v8"));
  }

  /** {@code generate} writes the registry password into config/: git must never track it. */
  @Test
  void theGeneratedConfigFolderIsGitIgnored() throws IOException {
    assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains("deployment-manifests/config/");
    assertThat(Files.readString(MANIFESTS.resolve("README.md")))
        .contains("`config/` is generated and git-ignored");
  }

  /** The walk-through starts with the build the Dockerfiles need and keeps manifests away from iotedgedev. */
  @Test
  void theReadmeWalksFromTheBuildToSetModules() throws IOException {
    String readme = Files.readString(MANIFESTS.resolve("README.md"));
    String walkThrough = readme.substring(readme.indexOf("### From the template to a device"));

    assertThat(walkThrough.indexOf("mvn -B -ntp package -DskipTests")).as("the build comes first")
        .isNotNegative().isLessThan(walkThrough.indexOf("docker buildx build"));
    assertThat(walkThrough).contains("iotedgedev build -P arm64v8 && iotedgedev push",
        "Generate the manifests only with `edge manifest generate`", "without `\"Runtime\": \"nvidia\"`",
        "registered with moby", "az iot edge set-modules");
  }

  @ParameterizedTest
  @ValueSource(strings = {"amd64", "amd64.gpu", "arm64v8"})
  void theGoldenManifestsAreValid(String platform) {
    Path manifest = goldenPath(platform);

    CliRun run = CliRun.of("manifest", "validate", manifest.toString(), "--modules", MODULES.toString());

    assertThat(run.out()).isEqualTo(manifest + ": valid, 0 error(s), 0 warning(s)\n");
    assertThat(run.exitCode()).isZero();
  }

  /** Every module of the local manifests has its module.json under modules/, so every route is checked. */
  @ParameterizedTest
  @ValueSource(strings = {"local-pipeline.json", "predictive-maintenance.json", "model-updates.json"})
  void theLocalManifestsAreValidWithEveryModuleDeclared(String name) {
    Path manifest = MANIFESTS.resolve(name);

    CliRun run = CliRun.of("manifest", "validate", manifest.toString(), "--modules", MODULES.toString());

    assertThat(run.out()).isEqualTo(manifest + ": valid, 0 error(s), 0 warning(s)\n");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void thePlatformsDifferOnlyWhereTheTemplateSaysSo() throws IOException {
    String cpu = golden("amd64");
    String gpu = golden("amd64.gpu");
    String jetson = golden("arm64v8");

    assertThat(cpu).doesNotContain("DeviceRequests").doesNotContain("nvidia").contains("inference:0.1.0-amd64\"");
    assertThat(gpu).contains("\\\"DeviceRequests\\\":[{\\\"Count\\\":-1,\\\"Capabilities\\\":[[\\\"gpu\\\"]]}]")
        .as("inference's module.json declares amd64.gpu; the others run their amd64 image")
        .contains("inference:0.1.0-amd64.gpu\"").contains("sensor-ingestion:0.1.0-amd64\"")
        .contains("model-update:0.1.0-amd64\"");
    assertThat(jetson).contains("\\\"Runtime\\\":\\\"nvidia\\\"").contains("inference:0.1.0-arm64v8\"");
    assertThat(cpu + gpu + jetson).doesNotContain("x-edgeai4j-platforms").doesNotContain("$schema-template")
        .doesNotContain("${");
  }

  /**
   * One named volume holds the models and model-update's state, so that staging to repository is a rename within
   * one mount (across two mounts it fails with EXDEV), and inference mounts the same volume at the same path, so the
   * paths model-update reports are the paths inference loads; sensor-ingestion has its own volume; the edgeHub store
   * stays a host directory apart. A named volume, not a host directory: Docker creates a missing host directory owned
   * by root, which the modules (uid 10001) cannot write.
   */
  @ParameterizedTest
  @ValueSource(strings = {"amd64", "amd64.gpu", "arm64v8"})
  void theModuleStateIsOnNamedVolumesApartFromTheEdgeHubStore(String platform) throws IOException {
    JsonNode modules = new ObjectMapper().readTree(golden(platform))
        .at("/modulesContent/$edgeAgent/properties.desired");
    String shared = "volume edgeai4j-shared -> /var/lib/edgeai4j/shared";

    assertThat(mounts(modules.at("/modules/model-update"))).containsExactly(shared);
    assertThat(modules.at("/modules/model-update/env/MODEL_REPOSITORY/value").asText())
        .isEqualTo("/var/lib/edgeai4j/shared/models");
    assertThat(modules.at("/modules/model-update/env/STATE_DIRECTORY/value").asText())
        .isEqualTo("/var/lib/edgeai4j/shared/model-update");
    assertThat(mounts(modules.at("/modules/inference"))).containsExactly(shared);
    assertThat(modules.at("/modules/inference/env/MODEL_REPOSITORY/value").asText())
        .isEqualTo("/var/lib/edgeai4j/shared/models");
    assertThat(mounts(modules.at("/modules/sensor-ingestion")))
        .containsExactly("volume edgeai4j-sensor-ingestion -> /var/lib/edgeai4j/sensor-ingestion");
    assertThat(mounts(modules.at("/systemModules/edgeHub")))
        .containsExactly("bind /var/lib/edgeai4j/edgehub:/tmp/edgehub");
  }

  /** The module's Binds ({@code bind source:target}) and Mounts ({@code <type> source -> target}). */
  private static List<String> mounts(JsonNode module) throws IOException {
    JsonNode createOptions = new ObjectMapper().readTree(module.at("/settings/createOptions").asText());
    List<String> mounts = new ArrayList<>();
    createOptions.at("/HostConfig/Binds").forEach(bind -> mounts.add("bind " + bind.asText()));
    createOptions.at("/HostConfig/Mounts").forEach(mount -> mounts.add(mount.path("Type").asText() + " "
        + mount.path("Source").asText() + " -> " + mount.path("Target").asText()));
    return mounts;
  }

  @Test
  void oneNamedPlatformAndAnUndefinedVariable() throws IOException {
    Path template = Files.copy(MANIFESTS.resolve("deployment.template.json"),
        directory.resolve("deployment.template.json"));
    Path env = Files.writeString(directory.resolve("test.env"), "CONTAINER_REGISTRY_SERVER=acr.io\n"
        + "CONTAINER_REGISTRY_USERNAME=u\nCONTAINER_REGISTRY_PASSWORD=p\nEDGE_RUNTIME_VERSION=1.6\n");

    CliRun one = CliRun.of("manifest", "generate", "--platform", "arm64v8", "--env", env.toString(), "--modules",
        MODULES.toString(), template.toString());
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(Files.exists(directory.resolve("config/deployment.arm64v8.json"))).isTrue();
    assertThat(Files.exists(directory.resolve("config/deployment.amd64.json"))).isFalse();

    Files.writeString(env, "CONTAINER_REGISTRY_SERVER=acr.io\n");
    CliRun undefined = CliRun.of("manifest", "generate", "--env", env.toString(), "--modules", MODULES.toString(),
        template.toString());
    assertThat(undefined.exitCode()).isEqualTo(65);
    assertThat(undefined.err()).isEqualTo("edge manifest generate: " + template
        + ": /modulesContent/$edgeAgent/properties.desired/runtime/settings/registryCredentials/edgeai4jRegistry"
        + "/username: variable CONTAINER_REGISTRY_USERNAME (in '$CONTAINER_REGISTRY_USERNAME') is not defined in"
        + " the .env file or the environment\n");

    CliRun unknown = CliRun.of("manifest", "generate", "--platform", "amd64-gpu", template.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("edge manifest generate: --platform: unknown platform 'amd64-gpu', expected"
        + " one of amd64, amd64.gpu, arm64v8\n");
  }

  @Test
  void anInvalidManifestPrintsEveryProblemAndExits1() throws IOException {
    String valid = golden("amd64");
    Path broken = Files.writeString(directory.resolve("broken.json"), valid
        .replace("\"restartPolicy\": \"always\",\n            \"startupOrder\": 1",
            "\"restartPolicy\": \"on-failure\",\n            \"startupOrder\": 1")
        .replace("/modules/inference/inputs/features", "/modules/inference/inputs/feature")
        .replace("outputs/alert INTO $upstream", "outputs/alert INTO $upstreem"));

    CliRun run = CliRun.of("manifest", "validate", broken.toString(), "--modules", MODULES.toString());

    String routes = "/modulesContent/$edgeHub/properties.desired/routes/";
    assertThat(run.out()).isEqualTo(
        "warning: /modulesContent/$edgeAgent/properties.desired/modules/inference/restartPolicy: restart policy"
            + " 'on-failure' is not implemented by edgeAgent and never restarts the module; use 'always' (with a"
            + " Docker Healthcheck in createOptions) or 'never'\n"
            + routes + "featuresToInference/route: module 'inference' (image"
            + " myregistry.azurecr.io/edgeai4j/inference:0.1.0-amd64, module.json of folder inference) declares no"
            + " input 'feature'; its inputs are [infer, features, windows, activations, activate]\n"
            + routes + "alertsToCloud/route: " + routeError("FROM /messages/modules/inference/outputs/alert INTO"
            + " $upstreem") + "\n"
            + broken + ": invalid, 2 error(s), 1 warning(s)\n");
    assertThat(run.exitCode()).isEqualTo(1);
  }

  /** A manifest still on IoT Edge 1.5 LTS deploys, with a warning per runtime image naming its end of support. */
  @Test
  void aManifestPinningIotEdge15IsValidWithAWarningNamingItsEndOfSupport() throws IOException {
    Path old = Files.writeString(directory.resolve("old.json"), golden("amd64").replace(":1.6\"", ":1.5\""));

    CliRun run = CliRun.of("manifest", "validate", old.toString(), "--modules", MODULES.toString());

    String agent = "/modulesContent/$edgeAgent/properties.desired/systemModules/edgeAgent/settings/image";
    String hub = "/modulesContent/$edgeAgent/properties.desired/systemModules/edgeHub/settings/image";
    String use = "; use 1.6 (1.6 LTS, supported until 2028-11-14)\n";
    assertThat(run.out()).isEqualTo(
        "warning: " + agent + ": image 'mcr.microsoft.com/azureiotedge-agent:1.5' is IoT Edge 1.5 LTS, which reached"
            + " end of support on 2026-11-10" + use
            + "warning: " + hub + ": image 'mcr.microsoft.com/azureiotedge-hub:1.5' is IoT Edge 1.5 LTS, which reached"
            + " end of support on 2026-11-10" + use
            + old + ": valid, 0 error(s), 2 warning(s)\n");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void aFileThatIsNotJsonOrMissing() throws IOException {
    Path notJson = Files.writeString(directory.resolve("x.json"), "{\"modulesContent\": ");
    CliRun run = CliRun.of("manifest", "validate", notJson.toString(), "--modules", MODULES.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("\"\": not JSON: ");

    CliRun missing = CliRun.of("manifest", "validate", directory.resolve("none.json").toString());
    assertThat(missing.exitCode()).isEqualTo(66);
    assertThat(missing.err()).isEqualTo("edge manifest validate: " + directory.resolve("none.json")
        + " does not exist\n");
  }

  /** A golden manifest: a test resource next to this class. */
  private static Path goldenPath(String platform) {
    try {
      return Path.of(ManifestCommandTest.class.getResource("deployment." + platform + ".json").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String golden(String platform) throws IOException {
    return Files.readString(goldenPath(platform));
  }

  private static String routeError(String route) {
    try {
      io.edgeai4j.routing.Route.parse(route);
      throw new AssertionError("the route compiles: " + route);
    } catch (io.edgeai4j.routing.RouteException e) {
      return e.getMessage();
    }
  }
}
