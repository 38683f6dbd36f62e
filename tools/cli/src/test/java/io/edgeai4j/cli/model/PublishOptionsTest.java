package io.edgeai4j.cli.model;

import io.edgeai4j.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Option errors: each names the option and what was wrong, ends with its exit code, and sends nothing. */
class PublishOptionsTest {
  @TempDir Path root;
  private Path dir;

  @BeforeEach
  void model() throws Exception {
    dir = TestModels.versionDir(root, "fault-classifier", 3, true);
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(delimiter = '|', value = {
    // Given after --model-dir <dir> --dry-run.
    "(nothing)                                            | 2  | expected --device ID (one device: its module twin) or --target-condition COND",
    "--device d --target-condition x                      | 2  | --device and --target-condition exclude each other",
    "--device d --priority 5                              | 2  | --priority applies to a fleet (--target-condition), not to --device",
    "--device d --canary-condition x                      | 2  | --canary-condition needs --target-condition",
    "--canary-condition x                                 | 2  | --canary-condition needs --target-condition",
    "--device d --deployment-id x                         | 2  | --deployment-id applies to a fleet",
    "--device d --check-url                               | 2  | --check-url needs --url",
    "--device d --url https://x.example/p.zip --overwrite | 2  | --url: nothing is uploaded, so --storage-connection-string",
    "--device d --url https://x.example/p.zip --container c1c | 2 | --url: nothing is uploaded",
    "--device d --url ftp://x.example/p.zip               | 2  | --url: models.fault-classifier.uri: expected an absolute https URI",
    "--device d --url http://x.example/p.zip              | 2  | (http only for 127.0.0.1, localhost or [::1])",
    "--device d --url 'https://x .example'                | 2  | --url: expected an absolute https URL",
    "--device d --version 0                               | 2  | --version: expected an integer >= 1, found 0",
    "--device d --name a.b                                | 2  | --name: expected 1 to 128 characters from A-Z a-z 0-9 _ - (a twin key, so no '.'), found 'a.b'",
    "--device d --backend gpu                             | 2  | --backend: expected one of onnxruntime-cpu, onnxruntime-cuda, tensorrt, found 'gpu'",
    "--device d --precision fp64                          | 2  | --precision: expected one of fp32, fp16, int8, found 'fp64'",
    "--device d --format tflite                           | 2  | --format: expected one of onnx, found 'tflite'",
    "--device d --activation window                       | 2  | --activation window: expected --window-start HH:mm and --window-end HH:mm",
    "--device d --activation window --window-start 25:00 --window-end 02:00 | 2 | --window-start: expected HH:mm (00:00 to 23:59), found '25:00'",
    "--device d --activation window --window-start 2:00 --window-end 04:00  | 2 | --window-start: expected HH:mm (00:00 to 23:59), found '2:00'",
    "--device d --activation window --window-start 02:00 --window-end 02:00 | 2 | --window-end: a window's start and end must differ",
    "--device d --activation window --window-start 02:00 --window-end 04:00 --window-zone Mars/Olympus | 2 | --window-zone: expected an IANA zone id such as Europe/Berlin, found 'Mars/Olympus'",
    "--device d --window-start 02:00                      | 2  | --window-start, --window-end and --window-zone need --activation window",
    "--device d --activation sometimes                    | 2  | --activation",
    "--device d --sas-expiry 0s                           | 2  | '0s' must be a positive duration",
    "--device d --container Models_1                      | 2  | --container: expected 3 to 63 characters from a-z 0-9 -",
    "--device d --module 'model update'                   | 2  | --module: expected a module name",
    "--target-condition ' '                               | 2  | --target-condition: expected a condition",
    "--target-condition x --priority -1                   | 2  | --priority: expected 0 to 2147483647, found -1",
    "--target-condition x --canary-condition y --priority 2147483647 | 2 | (the canary gets priority + 1)",
    "--target-condition x --deployment-id Model-3         | 2  | --deployment-id: expected 1 to 128 characters from a-z 0-9",
    "--device d --hub-connection-string HostName=h.example | 2 | --hub-connection-string: SharedAccessKeyName: missing",
    "--device d --hub-connection-string 'HostName=h:x;SharedAccessKeyName=k;SharedAccessKey=a2V5' | 2 | --hub-connection-string: HostName: expected a port number after ':', found 'x'",
    "--device d --storage-connection-string 'BlobEndpoint=https://a.example;SharedAccessSignature=sv=1' | 2 | --storage-connection-string: expected an account key (AccountKey=...)",
    "--device d --signing-key /nonexistent/key.pem        | 2  | --signing-key: '/nonexistent/key.pem' is not a file",
    "--device d --not-before 2027-01-01                   | 2  | --not-before: expected an ISO-8601 instant with an offset such as 2027-01-01T00:00:00Z, found '2027-01-01'",
    "--device d --expires soon                            | 2  | --expires: expected an instant such as 2027-01-01T00:00:00Z or a duration such as 90d, found 'soon'",
    "--device d --expires 2020-01-01T00:00:00Z            | 2  | --expires: 2020-01-01T00:00:00Z is not in the future; devices would refuse the release",
    "--device d --not-before 2099-01-02T00:00:00Z --expires 2099-01-01T00:00:00Z | 2 | --expires: expected an instant after --not-before 2099-01-02T00:00:00Z, found 2099-01-01T00:00:00Z",
  })
  void optionErrorsNameTheOption(String options, int exitCode, String message) {
    List<String> args = new ArrayList<>(List.of("model", "publish", "--model-dir", dir.toString(), "--dry-run"));
    if (!options.equals("(nothing)")) {
      args.addAll(split(options));
    }

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message);
    assertThat(run.out()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "missing-dir         | 66 | --model-dir: '${DIR}' is not a directory",
    "no-onnx             | 66 | has no model.onnx; expected model.onnx, model.json and optionally golden.json",
    "corrupt-onnx        | 65 | model.onnx is not a usable ONNX model",
    "json-array          | 65 | model.json: expected a JSON object",
    "not-a-version-dir   | 2  | --version: missing; the input is not a <name>/<version> directory",
    "dotted-name         | 65 | the desired properties would break IoT Hub's twin limits; nothing was uploaded or sent",
    "bad-signing-key     | 65 | --signing-key: '",
    "not-a-zip           | 65 | --package: '${DIR}' is not a model package",
  })
  void badInputsNameTheFileAndTheCheck(String kind, int exitCode, String message) throws Exception {
    Path model = dir;
    List<String> extra = new ArrayList<>();
    String input = "--model-dir";
    switch (kind) {
      case "missing-dir" -> model = root.resolve("missing");
      case "no-onnx" -> Files.delete(dir.resolve("model.onnx"));
      case "corrupt-onnx" -> Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5});
      case "json-array" -> Files.writeString(dir.resolve("model.json"), "[1]");
      case "not-a-version-dir" -> {
        model = root.resolve("plain");
        Files.move(dir, model);
      }
      case "dotted-name" -> Files.writeString(dir.resolve("model.json"), "{\"name\": \"fault.classifier\"}");
      case "bad-signing-key" -> {
        Path key = root.resolve("key.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        extra.addAll(List.of("--signing-key", key.toString()));
      }
      case "not-a-zip" -> {
        model = root.resolve("p.zip");
        Files.writeString(model, "not a zip");
        input = "--package";
        extra.addAll(List.of("--version", "1"));
      }
      default -> throw new IllegalArgumentException(kind);
    }
    List<String> args = new ArrayList<>(List.of("model", "publish", input, model.toString(), "--device", "d",
        "--dry-run"));
    args.addAll(extra);

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).contains(message.replace("${DIR}", model.toString()));
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anErrorAboutAUrlDoesNotPrintItsSasSignature() {
    CliRun run = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--dry-run", "--device", "d",
        "--url", "http://x.example/p.zip?sv=1&sig=c2VjcmV0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--url: ").doesNotContain("c2VjcmV0");
  }

  @Test
  void withoutDryRunTheConnectionStringsAreRequired() {
    assumeTrue(System.getenv(PublishCommand.HUB_ENV) == null && System.getenv(PublishCommand.STORAGE_ENV) == null);

    CliRun noStorage = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "d");
    CliRun noHub = CliRun.of("model", "publish", "--model-dir", dir.toString(), "--device", "d",
        "--url", "https://x.example/p.zip");

    assertThat(noStorage.exitCode()).isEqualTo(2);
    assertThat(noStorage.err()).contains("--storage-connection-string: missing (nor is AZURE_STORAGE_CONNECTION_STRING"
        + " set)");
    assertThat(noHub.exitCode()).isEqualTo(2);
    assertThat(noHub.err()).contains("--hub-connection-string: missing (nor is IOTHUB_CONNECTION_STRING set)");
  }

  @Test
  void theCommandLineStillHelps() {
    CliRun help = CliRun.of("--help");
    CliRun publishHelp = CliRun.of("model", "publish", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("model ");
    assertThat(publishHelp.exitCode()).isZero();
    assertThat(publishHelp.out()).contains("--target-condition=COND", "--canary-condition=COND", "--dry-run");
  }

  /** Splits on spaces, keeping 'quoted parts' together. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (current.length() > 0) {
          parts.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      parts.add(current.toString());
    }
    return parts;
  }
}
