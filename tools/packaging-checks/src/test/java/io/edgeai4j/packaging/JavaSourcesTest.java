package io.edgeai4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source reading the module.json checks rely on: literals and constants resolve, anything else is skipped. */
class JavaSourcesTest {
  private static final JavaSources SOURCES = JavaSources.ofTexts(Map.of(
      "DemoModule", """
          class DemoModule {
            static final String IN = "frames";
            public void start(ModuleContext context) {
              context.onInput("infer", this::infer);
              context.onInput(IN, this::frames);
              context.onMethod("status", r -> ok());
              context.onMethod(Names.RESET, r -> ok());
              context.send(Results.OUT, message);
              sender.send(variable, message);
              client.send(request.build(), handler);
            }
          }
          """,
      "Names", "final class Names { public static final String RESET = \"reset\"; }",
      "Results", "final class Results { static final String OUT = \"results\"; }",
      "Outputs", "final class Outputs { public static final String ALERTS = \"alerts\"; }",
      "DemoFactory", """
          public final class DemoFactory implements EdgeModuleFactory {
            @Override
            public String id() {
              return "demo";
            }
          }
          """));

  @Test
  void resolvesLiteralsAndConstants() {
    assertThat(SOURCES.inputs()).containsExactlyInAnyOrder("infer", "frames");
    assertThat(SOURCES.methods()).containsExactlyInAnyOrder("status", "reset");
    assertThat(SOURCES.outputs()).containsExactlyInAnyOrder("results", "alerts");
    assertThat(SOURCES.factoryId()).isEqualTo("demo");
  }

  @Test
  void refusesSourcesWithoutOneFactory() {
    assertThatThrownBy(() -> JavaSources.ofTexts(Map.of("A", "class A {}")).factoryId())
        .hasMessage("Expected one EdgeModuleFactory returning a literal id, found []");
  }
}
