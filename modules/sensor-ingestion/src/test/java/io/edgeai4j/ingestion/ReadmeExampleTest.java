package io.edgeai4j.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeai4j.ingestion.config.IngestionConfig;
import io.edgeai4j.ingestion.pipeline.ResolvedConfig;
import io.edgeai4j.ingestion.pipeline.SourceRegistry;
import io.edgeai4j.module.UnknownKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The desired properties the README shows are valid with every plug-in the CLI carries. */
class ReadmeExampleTest {
  @Test
  void theReadmesDesiredPropertiesResolve() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Twin: desired properties");
    int start = readme.indexOf("```json", section) + "```json".length();
    String json = readme.substring(start, readme.indexOf("```", start));
    IngestionConfig config = new ObjectMapper().readValue(json, IngestionConfig.class);
    ResolvedConfig resolved = ResolvedConfig.resolve(config, SourceRegistry.fromClassPath(), UnknownKeys.REFUSE);
    assertThat(resolved.sources()).containsOnlyKeys("machine", "press", "pumps", "lab", "history");
    assertThat(resolved.sources().get("press").settings().sensors()).containsExactly("ramForce");
  }
}
