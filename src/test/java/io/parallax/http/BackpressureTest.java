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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("A node under more work than it can take")
class BackpressureTest {

  /** Two workers and at most eight tasks queued or running (see TestNodes.config). */
  private static final int WORKERS = 2;
  private static final int MAX_QUEUED = 8;

  private ParallaxNode node;
  private Http http;

  @BeforeEach
  void start(Vertx vertx) {
    BlockingTask.close();
    node = TestNodes.start(TestNodes.config());
    http = new Http(vertx, node.httpPort());
  }

  @AfterEach
  void stop() {
    BlockingTask.open();
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("answers 503 QUEUE_FULL with Retry-After at once when full, and serves normally once drained")
  void boundedQueue(VertxTestContext test) {
    List<Future<HttpResponse<Buffer>>> admitted = new ArrayList<>();
    for (int i = 0; i < MAX_QUEUED; i++) {
      admitted.add(http.postJson("/api/tasks/test-block", new JsonObject().put("id", i)));
    }
    http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == WORKERS
            && n.getInteger("queued") == MAX_QUEUED - WORKERS, Duration.ofSeconds(20))
        .compose(full -> http.postJson("/api/tasks/primes", new JsonObject().put("to", 100)))
        .compose(rejected -> {
          test.verify(() -> {
            assertThat(rejected.statusCode()).isEqualTo(503);
            assertThat(rejected.getHeader("Retry-After")).isEqualTo("1");
            assertThat(rejected.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("QUEUE_FULL");
          });
          BlockingTask.open();
          return Future.all(admitted);
        })
        .compose(all -> {
          test.verify(() -> {
            for (int i = 0; i < MAX_QUEUED; i++) {
              HttpResponse<Buffer> response = admitted.get(i).result();
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(response.bodyAsJsonObject().getJsonObject("result").getLong("id")).isEqualTo(i);
            }
          });
          return http.postJson("/api/tasks/primes", new JsonObject().put("to", 100));
        })
        .onComplete(test.succeeding(after -> test.verify(() -> {
          assertThat(after.statusCode()).isEqualTo(200);
          assertThat(after.bodyAsJsonObject().getJsonObject("result").getLong("count")).isEqualTo(25);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("keeps answering /hello, /health and /api/node while every worker is busy")
  void eventLoopStaysFree(VertxTestContext test) {
    List<Future<HttpResponse<Buffer>>> busy = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      busy.add(http.postJson("/api/tasks/test-block", new JsonObject()));
    }
    http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == WORKERS, Duration.ofSeconds(20))
        .compose(allBusy -> Future.all(http.get("/hello"), http.get("/health"), http.get("/hello")))
        .onComplete(test.succeeding(answers -> test.verify(() -> {
          for (int i = 0; i < 3; i++) {
            assertThat(answers.<HttpResponse<Buffer>>resultAt(i).statusCode()).isEqualTo(200);
          }
          assertThat(BlockingTask.running()).as("the workers were still busy while /hello answered")
              .isEqualTo(WORKERS);
          BlockingTask.open();
          Future.all(busy).onComplete(test.succeedingThenComplete());
        })));
  }

  @Test
  @DisplayName("expires a task that waits in the queue past its timeout with 504")
  void queuedTimeout(VertxTestContext test) {
    List<Future<HttpResponse<Buffer>>> busy = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      busy.add(http.postJson("/api/tasks/test-block", new JsonObject()));
    }
    http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == WORKERS, Duration.ofSeconds(20))
        .compose(allBusy -> http.postJson("/api/tasks/primes?timeout=200", new JsonObject().put("to", 100)))
        .onComplete(test.succeeding(expired -> test.verify(() -> {
          assertThat(expired.statusCode()).isEqualTo(504);
          assertThat(expired.bodyAsJsonObject().getJsonObject("error").getString("message"))
              .contains("waited in the queue");
          BlockingTask.open();
          Future.all(busy).onComplete(test.succeedingThenComplete());
        })));
  }
}
