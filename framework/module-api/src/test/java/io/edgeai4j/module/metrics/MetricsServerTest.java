package io.edgeai4j.module.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private MetricsServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry);
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void servesMetricsInPrometheusTextFormat() throws Exception {
    FrameworkMetrics metrics = FrameworkMetrics.forRegistry(registry);
    metrics.messageSent("sensor", "telemetry");
    metrics.messageSent("sensor", "telemetry");
    metrics.messageRefused("sensor", "telemetry", FrameworkMetrics.RefusalReason.TOO_LARGE);
    metrics.setConnected("sensor", true);

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(response.body())
        .contains("# TYPE edgeai4j_module_messages_sent_total counter")
        .contains("edgeai4j_module_messages_sent_total{module=\"sensor\",output=\"telemetry\"} 2.0")
        .contains("edgeai4j_module_messages_refused_total{module=\"sensor\",output=\"telemetry\",reason=\"too_large\"} 1.0")
        .contains("# TYPE edgeai4j_module_connected gauge")
        .contains("edgeai4j_module_connected{module=\"sensor\"} 1.0");
  }

  @Test
  void healthIsUpWhenEveryCheckIsAndDownOtherwise() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(true);
    server.register("sensor", check(true, ready, "RUNNING"));
    server.register("filter", check(true, new AtomicBoolean(true), "RUNNING"));

    HttpResponse<String> live = get("/health/live");
    HttpResponse<String> readyUp = get("/health/ready");
    ready.set(false);
    HttpResponse<String> readyDown = get("/health/ready");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode body = new ObjectMapper().readTree(live.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.at("/checks/sensor/live").asBoolean()).isTrue();
    assertThat(body.at("/checks/sensor/ready").asBoolean()).isTrue();
    assertThat(body.at("/checks/sensor/state").asText()).isEqualTo("RUNNING");
    assertThat(readyUp.statusCode()).isEqualTo(200);
    assertThat(readyDown.statusCode()).isEqualTo(503);
    JsonNode down = new ObjectMapper().readTree(readyDown.body());
    assertThat(down.get("status").asText()).isEqualTo("DOWN");
    assertThat(down.at("/checks/sensor/ready").asBoolean()).isFalse();
    assertThat(down.at("/checks/filter/ready").asBoolean()).isTrue();
  }

  @Test
  void notLiveGives503AndUnregisterRemovesTheCheck() throws Exception {
    server.register("sensor", check(false, new AtomicBoolean(false), "FAILED"));
    assertThat(get("/health/live").statusCode()).isEqualTo(503);

    server.unregister("sensor");

    HttpResponse<String> response = get("/health/live");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{}}");
  }

  @Test
  void aThrowingCheckCountsAsDown() throws Exception {
    server.register("broken", new HealthCheck() {
      @Override
      public boolean isLive() {
        throw new IllegalStateException("boom");
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public String describe() {
        return "?";
      }
    });

    HttpResponse<String> response = get("/health/live");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("check failed: java.lang.IllegalStateException: boom");
  }

  @Test
  void refusesADuplicateCheckName() {
    server.register("sensor", check(true, new AtomicBoolean(true), "RUNNING"));

    assertThatThrownBy(() -> server.register("sensor", check(true, new AtomicBoolean(true), "RUNNING")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'sensor' is already registered");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(
        HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void aBusyPortIsReportedWithTheAddressAndTheCauseOnly() {
    InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());

    assertThatThrownBy(() -> MetricsServer.start(taken, new PrometheusRegistry()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot listen on " + taken + " for metrics: ")
        .hasMessageNotContaining("EDGEAI4J_METRICS_PORT");
  }

  @Test
  void closeIsIdempotentAndReleasesThePort() {
    server.close();
    server.close();

    assertThatThrownBy(() -> get("/metrics")).isInstanceOf(ConnectException.class);
  }

  @Test
  void addsJvmMetricsOnTheDefaultRegistry() throws Exception {
    try (MetricsServer onDefault = MetricsServer.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), PrometheusRegistry.defaultRegistry)) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onDefault.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).contains("jvm_memory_used_bytes");
    }
    assertThat(get("/metrics").body()).doesNotContain("jvm_memory_used_bytes");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static HealthCheck check(boolean live, AtomicBoolean ready, String state) {
    return new HealthCheck() {
      @Override
      public boolean isLive() {
        return live;
      }

      @Override
      public boolean isReady() {
        return ready.get();
      }

      @Override
      public String describe() {
        return state;
      }
    };
  }
}
