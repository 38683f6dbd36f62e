package io.edgeai4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sinks, validated as edgeHub's {@code EndpointFactory} validates them. */
class SinkTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      textBlock =
          """
          $upstream                                              => $upstream     => $upstream
          $UPSTREAM                                              => $upstream     => $upstream
          $UpStream                                              => $upstream     => $upstream
          BrokeredEndpoint("/modules/filter/inputs/input1")      => filter/input1 => BrokeredEndpoint("/modules/filter/inputs/input1")
          brokeredendpoint('/modules/filter/inputs/input1')      => filter/input1 => BrokeredEndpoint("/modules/filter/inputs/input1")
          BROKEREDENDPOINT ( "modules/filter/inputs/input1" )    => filter/input1 => BrokeredEndpoint("/modules/filter/inputs/input1")
          BrokeredEndpoint("/modules/filter/inputs/input1/")     => filter/input1 => BrokeredEndpoint("/modules/filter/inputs/input1")
          BrokeredEndpoint(" /modules/filter/inputs/input1 ")    => filter/input1 => BrokeredEndpoint("/modules/filter/inputs/input1")
          BrokeredEndpoint("/anything/filter/at/input1")         => filter/input1 => BrokeredEndpoint("/modules/filter/inputs/input1")
          BrokeredEndpoint('/modules/say"hi/inputs/in')          => say"hi/in     => BrokeredEndpoint('/modules/say"hi/inputs/in')
          BrokeredEndpoint("/modules//inputs/in")                => /in           => BrokeredEndpoint("/modules//inputs/in")
          """)
  void parsesValidSinks(String sink, String endpointId, String canonical) throws RouteException {
    Route route = Route.parse("FROM /messages INTO " + sink);

    assertThat(route.sink().endpointId()).isEqualTo(endpointId);
    assertThat(route.sink().toRouteText()).isEqualTo(canonical);
    assertThat(Route.parse("FROM /messages INTO " + canonical).sink()).isEqualTo(route.sink());
  }

  @Test
  void sinksAreValues() {
    assertThat(new UpstreamSink()).isEqualTo(UpstreamSink.INSTANCE);
    assertThat(new ModuleInputSink("m", "i")).isEqualTo(new ModuleInputSink("m", "i"));
    assertThatThrownBy(() -> new ModuleInputSink("a/b", "i"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModuleInputSink(null, "i"))
        .isInstanceOf(NullPointerException.class);
  }
}
