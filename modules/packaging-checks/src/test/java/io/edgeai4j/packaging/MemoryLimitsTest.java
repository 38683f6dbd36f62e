package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The memory limit of each module in {@link DeployableModule}'s table, against which {@link DockerfileRules} checks
 * the JVM's heap and direct memory flags, is the limit the deployment template gives the module
 * ({@code createOptions.HostConfig.Memory}), so the budget in the Dockerfiles cannot drift from the deployment.
 */
class MemoryLimitsTest {
  private static final String TEMPLATE = "deployment-manifests/deployment.template.json";
  private static final long MIB = 1024 * 1024;

  @ParameterizedTest
  @EnumSource(DeployableModule.class)
  void theTableGivesTheTemplatesLimit(DeployableModule module) throws Exception {
    JsonNode template = new ObjectMapper().readTree(Repository.read(Repository.path(TEMPLATE)));
    String pointer = "/modulesContent/$edgeAgent/properties.desired/modules/" + module.factoryId()
        + "/settings/createOptions/HostConfig/Memory";
    JsonNode memory = template.at(pointer);

    assertThat(memory.canConvertToLong()).as(TEMPLATE + " " + pointer + " is a number of bytes").isTrue();
    assertThat(memory.asLong()).as(TEMPLATE + " " + pointer)
        .isEqualTo(module.memoryLimitMib() * MIB);
  }
}
