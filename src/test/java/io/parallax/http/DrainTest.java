package io.parallax.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.Http;
import io.parallax.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("A node that is stopping")
class DrainTest {

  private ParallaxNode node;

  @AfterEach
  void release() {
    BlockingTask.open();
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("refuses new work with 503, reports not ready, and finishes the task in flight before closing")
  void drainsGracefully(Vertx vertx, VertxTestContext test) {
    BlockingTask.close();
    node = TestNodes.start(TestNodes.config());
    Http http = new Http(vertx, node.httpPort());
    Future<HttpResponse<Buffer>> inFlight = http.postJson("/api/tasks/test-block", new JsonObject().put("id", 7));
    CompletableFuture<Void>[] stopped = new CompletableFuture[1];
    http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 1, Duration.ofSeconds(20))
        .compose(running -> {
          stopped[0] = node.stop();
          return Future.all(http.postJson("/api/tasks/primes", new JsonObject()), http.get("/ready"));
        })
        .compose(answers -> {
          test.verify(() -> {
            HttpResponse<Buffer> refused = answers.resultAt(0);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.getHeader("Retry-After")).isNotNull();
            assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("DRAINING");
            assertThat(answers.<HttpResponse<Buffer>>resultAt(1).statusCode()).isEqualTo(503);
            assertThat(stopped[0]).as("the node waits for its task in flight").isNotDone();
          });
          BlockingTask.open();
          return inFlight;
        })
        .compose(finished -> {
          test.verify(() -> {
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.bodyAsJsonObject().getJsonObject("result").getLong("id")).isEqualTo(7);
          });
          return Future.fromCompletionStage(stopped[0]);
        })
        .onComplete(test.succeedingThenComplete());
  }
}
