package io.parallax.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.config.ConfigLoader;
import io.parallax.config.Setting;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.Http;
import io.parallax.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("A node's HTTP endpoints")
class NodeEndpointsTest {

  private static ParallaxNode node;
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    // The shipped defaults, as `java -jar` uses them, on a free port and loopback only.
    node = TestNodes.start(new ConfigLoader(System::getenv, Runtime.getRuntime().availableProcessors())
        .load(null, Map.of(Setting.HTTP_PORT, "0", Setting.HTTP_HOST, "127.0.0.1")));
    http = new Http(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("GET /hello answers the classic greeting as plain text, with or without a query")
  void hello(VertxTestContext test) {
    var checkpoint = test.checkpoint(2);
    for (String uri : new String[] {"/hello", "/hello?from=test"}) {
      http.get(uri).onComplete(test.succeeding(response -> test.verify(() -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).startsWith("text/plain");
        assertThat(response.bodyAsString()).isEqualTo("Hello, World!\n");
        checkpoint.flag();
      })));
    }
  }

  @Test
  @DisplayName("GET /health and GET /ready answer UP once the node is started")
  void healthAndReadiness(VertxTestContext test) {
    var checkpoint = test.checkpoint(2);
    for (String path : new String[] {"/health", "/ready"}) {
      http.get(path).onComplete(test.succeeding(response -> test.verify(() -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        checkpoint.flag();
      })));
    }
  }

  @Test
  @DisplayName("GET /api/node reports one HTTP instance and one worker per processor by default")
  void nodeInfo(VertxTestContext test) {
    http.get("/api/node").onComplete(test.succeeding(response -> test.verify(() -> {
      JsonObject body = response.bodyAsJsonObject();
      int processors = Runtime.getRuntime().availableProcessors();
      assertThat(body.getString("nodeId")).isEqualTo(node.info().nodeId());
      assertThat(body.getString("version")).isNotBlank().isNotEqualTo("unknown");
      assertThat(body.getInteger("cores")).isEqualTo(processors);
      assertThat(body.getInteger("httpInstances")).isEqualTo(processors);
      assertThat(body.getInteger("workers")).isEqualTo(processors);
      assertThat(body.getInteger("busyWorkers")).isZero();
      assertThat(body.getInteger("queued")).isZero();
      assertThat(body.getBoolean("clustered")).isFalse();
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("GET /api/tasks lists every task with its parameters and result type")
  void taskCatalogue(VertxTestContext test) {
    http.get("/api/tasks").onComplete(test.succeeding(response -> test.verify(() -> {
      JsonArray tasks = response.bodyAsJsonObject().getJsonArray("tasks");
      JsonObject mandelbrot = find(tasks, "mandelbrot");
      assertThat(mandelbrot.getString("resultType")).isEqualTo("image/png");
      JsonObject width = find(mandelbrot.getJsonArray("params"), "width");
      assertThat(width.getString("type")).isEqualTo("integer");
      assertThat(width.getLong("min")).isEqualTo(1);
      assertThat(width.getLong("max")).isEqualTo(4096);
      assertThat(width.getLong("default")).isEqualTo(800);
      JsonObject pbkdf2 = find(tasks, "pbkdf2");
      assertThat(find(pbkdf2.getJsonArray("params"), "iterations").getLong("default")).isEqualTo(600_000);
      assertThat(find(pbkdf2.getJsonArray("params"), "password").getBoolean("required")).isTrue();
      assertThat(find(tasks, "primes").getString("resultType")).isEqualTo("application/json");
      assertThat(find(tasks, "pbkdf2-verify")).isNotNull();
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("an unknown route is a 404 and a wrong method a 405, both in the JSON error shape")
  void unknownRouteAndMethod(VertxTestContext test) {
    var checkpoint = test.checkpoint(2);
    http.get("/no/such/thing").onComplete(test.succeeding(response -> test.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("NOT_FOUND");
      checkpoint.flag();
    })));
    http.request(HttpMethod.DELETE, "/api/tasks").onComplete(test.succeeding(response -> test.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
          .isEqualTo("METHOD_NOT_ALLOWED");
      checkpoint.flag();
    })));
  }

  private static JsonObject find(JsonArray array, String name) {
    return array.stream().map(JsonObject.class::cast).filter(o -> name.equals(o.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + array));
  }
}
