package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The memory limit of each module in {@link DeployableModule}'s table, against which {@link DockerfileRules} checks
 * the JVM's heap and direct memory flags, is the limit the module's deployment gives it
 * ({@code createOptions.HostConfig.Memory}), so the budget in the Dockerfiles cannot drift from the deployment.
 */
class MemoryLimitsTest {
  private static final long MIB = 1024 * 1024;

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theTableGivesTheDeploymentsLimit(DeployableModule module) throws Exception {
    JsonNode deployment = new ObjectMapper().readTree(Repository.read(Repository.path(module.deployment())));
    String pointer = "/modulesContent/$edgeAgent/properties.desired/modules/" + module.deployedAs()
        + "/settings/createOptions";
    JsonNode createOptions = deployment.at(pointer);
    // The template keeps createOptions as an object; a manifest holds it as a string, as edgeAgent reads it.
    JsonNode options = createOptions.isTextual() ? new ObjectMapper().readTree(createOptions.asText()) : createOptions;
    JsonNode memory = options.at("/HostConfig/Memory");

    assertThat(memory.canConvertToLong()).as(module.deployment() + " " + pointer + " HostConfig.Memory is a number of bytes").isTrue();
    assertThat(memory.asLong()).as(module.deployment() + " " + pointer + " HostConfig.Memory")
        .isEqualTo(module.memoryLimitMib() * MIB);
  }
}
