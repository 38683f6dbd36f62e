package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * modules/ holds exactly the deployable IoT Edge modules: every folder there has a module.json and is in
 * {@link DeployableModule}'s table (so every image is checked), and every module of the table is there. Libraries
 * and plug-ins live in the groups beside it (framework/, ingestion/, inference-engine/, model-tooling/, tools/).
 */
class ModulesFolderTest {
  @Test
  void everyFolderUnderModulesIsADeployableModuleOfTheTable() throws IOException {
    List<String> folders;
    try (Stream<Path> children = Files.list(Repository.path("modules"))) {
      folders = children.filter(Files::isDirectory).map(p -> "modules/" + p.getFileName()).sorted().toList();
    }
    List<String> table = Arrays.stream(DeployableModule.values()).map(DeployableModule::relativeFolder).sorted()
        .toList();

    assertThat(folders).as("the folders under modules/").isEqualTo(table);
    for (String folder : folders) {
      assertThat(Repository.path(folder).resolve("module.json")).as(folder + "/module.json").isRegularFile();
      assertThat(Repository.path(folder).resolve("README.md")).as(folder + "/README.md").isRegularFile();
    }
  }

  @Test
  void theModulesAggregatorBuildsEveryModuleOfTheTable() {
    String aggregator = Repository.read(Repository.path("modules/pom.xml"));
    for (DeployableModule module : DeployableModule.values()) {
      String name = module.relativeFolder().substring("modules/".length());
      assertThat(aggregator).as("modules/pom.xml").contains("<module>" + name + "</module>");
    }
  }
}
