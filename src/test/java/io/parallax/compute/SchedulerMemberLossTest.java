package io.parallax.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallax.ParallaxNode;
import io.parallax.bus.Addresses;
import io.parallax.config.Setting;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A coordinator on another node dies while this node's worker waits on its pull. The node is standalone;
 * the departed coordinator is a stand-in that holds the pull, as a killed process would.
 */
@ExtendWith(BlockedThreadWatch.class)
@DisplayName("The work scheduler, when a coordinator's node leaves")
class SchedulerMemberLossTest {

  private static final String GONE = "departed-node";
  private ParallaxNode node;

  @BeforeEach
  void start() {
    node = TestNodes.start(TestNodes.config(Map.of(Setting.WORKERS, "1")));
  }

  @AfterEach
  void stop() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("gives up the pulls waiting on it at once: the worker goes on, a chunk arriving later is refused")
  void abandonsPullsToTheDepartedCoordinator() throws Exception {
    EventBus bus = node.vertx().eventBus();
    CompletableFuture<Message<JsonObject>> heldPull = new CompletableFuture<>();
    await(bus.<JsonObject>consumer(Addresses.jobsPull(GONE), heldPull::complete).completion());

    bus.publish(Addresses.JOBS_WORK, new JsonObject().put("pull", Addresses.jobsPull(GONE)));
    Message<JsonObject> pull = heldPull.get(30, TimeUnit.SECONDS); // the only worker now waits on it

    bus.publish(Addresses.CLUSTER_MEMBER_LEFT, new JsonObject().put("node", GONE));
    // Sent after the departure, so handled after it by the scheduler's event loop.
    JsonObject chunk = new JsonObject().put("job", "job-of-the-departed").put("index", 0).put("task", "primes")
        .put("chunk", new JsonObject().put("from", 0).put("to", 100)).put("timeoutMs", 10_000);
    Future<Message<Object>> lateChunk = pull.replyAndRequest(chunk);
    assertThatThrownBy(() -> await(lateChunk)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(ReplyException.class)
        .satisfies(refused -> assertThat(((ReplyException) refused).failureCode()).isEqualTo(503))
        .hasMessageContaining("after its coordinator's node had left");

    Message<JsonObject> answer = await(bus.request(Addresses.task("primes"), new JsonObject().put("to", 100)));
    assertThat(answer.body().getJsonObject("result").getLong("count")).as("the worker is free").isEqualTo(25);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
