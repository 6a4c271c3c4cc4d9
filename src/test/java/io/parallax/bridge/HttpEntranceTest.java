package io.parallax.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.config.Setting;
import java.util.Map;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.Http;
import io.parallax.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("Event-bus messages over HTTP, and the token on every HTTP entrance")
class HttpEntranceTest {

  private static ParallaxNode node;
  private static ParallaxNode guarded;
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    node = TestNodes.start(TestNodes.config());
    guarded = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_TOKEN, "s3cret-token")));
    http = new Http(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() {
    BlockingTask.open();
    TestNodes.stop(node);
    TestNodes.stop(guarded);
  }

  @Test
  @DisplayName("request-reply answers the reply body; publish answers 202")
  void requestAndPublish(VertxTestContext test) {
    Future.all(http.postJson("/api/eventbus/parallax.task.primes", new JsonObject().put("to", 100)),
            http.postJson("/api/eventbus/parallax.task.primes?publish=true", new JsonObject().put("to", 10)))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          HttpResponse<Buffer> reply = all.resultAt(0);
          assertThat(reply.statusCode()).isEqualTo(200);
          assertThat(reply.bodyAsJsonObject().getJsonObject("result").getLong("count")).isEqualTo(25);
          HttpResponse<Buffer> published = all.resultAt(1);
          assertThat(published.statusCode()).isEqualTo(202);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("maps denial to 403, no handlers to 503, a timeout to 504 and a handler's failure to its code")
  void failures(VertxTestContext test) {
    BlockingTask.close();
    Future.all(List.of(
            http.postJson("/api/eventbus/parallax.internal.scheduler.status", new JsonObject()),
            http.postJson("/api/eventbus/parallax.task.nothing-here", new JsonObject()),
            http.postJson("/api/eventbus/parallax.task.test-block?timeout=200", new JsonObject()),
            http.postJson("/api/eventbus/parallax.task.pbkdf2", new JsonObject())))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          BlockingTask.open();
          expect(all.resultAt(0), 403, "ACCESS_DENIED");
          expect(all.resultAt(1), 503, "NO_HANDLERS");
          expect(all.resultAt(2), 504, "TIMEOUT");
          expect(all.resultAt(3), 400, "INVALID_PARAM");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("with a token: the API answers 401 without it and serves with it; /hello, /health, /ready stay open")
  void token(Vertx vertx, VertxTestContext test) {
    WebClient client = WebClient.create(vertx);
    int port = guarded.httpPort();
    Future.all(List.of(
            client.get(port, "127.0.0.1", "/api/tasks").send(),
            client.get(port, "127.0.0.1", "/api/jobs").putHeader("Authorization", "Bearer wrong").send(),
            client.post(port, "127.0.0.1", "/api/eventbus/parallax.task.primes").send(),
            client.get(port, "127.0.0.1", "/api/tasks").putHeader("Authorization", "Bearer s3cret-token").send(),
            client.get(port, "127.0.0.1", "/hello").send(),
            client.get(port, "127.0.0.1", "/ready").send()))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          for (int i = 0; i < 3; i++) {
            expect(all.resultAt(i), 401, "UNAUTHORIZED");
            assertThat(all.<HttpResponse<Buffer>>resultAt(i).getHeader("WWW-Authenticate")).isEqualTo("Bearer");
          }
          for (int i = 3; i < 6; i++) {
            assertThat(all.<HttpResponse<Buffer>>resultAt(i).statusCode()).isEqualTo(200);
          }
          test.completeNow();
        })));
  }

  private static void expect(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo(code);
  }
}
