package io.parallax.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.config.Setting;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SockJS bridge's bounds and token, over SockJS's raw WebSocket endpoint ({@code /eventbus/websocket},
 * where each text frame is one bridge frame) with Vert.x's WebSocket client.
 */
@ExtendWith(BlockedThreadWatch.class)
@DisplayName("The SockJS bridge's bounds and token")
class SockJsBridgeBoundsTest {

  private static final String TOKEN = "s3cret-token";
  private static ParallaxNode node;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    node = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_TOKEN, TOKEN, Setting.BRIDGE_MAX_IN_FLIGHT, "2")));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    BlockingTask.open();
    TestNodes.stop(node);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One raw WebSocket connection to the bridge: frames go out as text, frames that come back are queued. */
  private static final class Client implements AutoCloseable {
    final WebSocket socket;
    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    Client(String query) throws Exception {
      WebSocketClient client = vertx.createWebSocketClient();
      socket = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
          .setURI("/eventbus/websocket" + query)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      socket.handler(data -> frames.add(new JsonObject(data)));
      socket.closeHandler(nothing -> closed.complete(null));
    }

    void send(JsonObject frame) throws Exception {
      socket.writeTextMessage(frame.encode()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void request(String address, JsonObject body, String replyAddress, JsonObject headers) throws Exception {
      JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
          .put("replyAddress", replyAddress);
      send(headers == null ? frame : frame.put("headers", headers));
    }

    JsonObject read() throws Exception {
      JsonObject frame = frames.poll(30, TimeUnit.SECONDS);
      assertThat(frame).as("a frame within 30 s").isNotNull();
      return frame;
    }

    @Override
    public void close() throws Exception {
      socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("answers a connection's request beyond bridge.maxInFlight with a 429 for that request")
  void boundsRequestsAwaitingReplies() throws Exception {
    BlockingTask.close();
    try (Client client = new Client("?token=" + TOKEN)) {
      client.request("parallax.task.test-block", new JsonObject().put("id", 1), "r1", null);
      client.request("parallax.task.test-block", new JsonObject().put("id", 2), "r2", null);
      client.request("parallax.task.test-block", new JsonObject().put("id", 3), "r3", null);
      JsonObject refused = client.read();
      assertThat(refused.getString("type")).isEqualTo("err");
      assertThat(refused.getString("address")).isEqualTo("r3");
      assertThat(refused.getInteger("failureCode")).isEqualTo(429);
      assertThat(refused.getString("message")).startsWith("too_many_requests");

      BlockingTask.open();
      JsonObject first = client.read();
      JsonObject second = client.read();
      assertThat(List.of(first.getString("address"), second.getString("address")))
          .containsExactlyInAnyOrder("r1", "r2");
      assertThat(first.getString("type")).isEqualTo("rec");
      assertThat(first.getJsonObject("body").getJsonObject("result").getLong("id")).isIn(1L, 2L);

      // Answered requests free their places.
      client.request("parallax.task.test-block", new JsonObject().put("id", 4), "r4", null);
      JsonObject fourth = client.read();
      assertThat(fourth.getString("type")).isEqualTo("rec");
      assertThat(fourth.getJsonObject("body").getJsonObject("result").getLong("id")).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("wants the token, on connecting or on each frame, and denies internal addresses")
  void token() throws Exception {
    try (Client client = new Client("")) {
      client.request("parallax.task.primes", new JsonObject().put("to", 100), "r1", null);
      assertThat(client.read()).isEqualTo(new JsonObject().put("type", "err")
          .put("body", "access_denied: missing or wrong token"));
      client.request("parallax.task.primes", new JsonObject().put("to", 100), "r2",
          new JsonObject().put("auth", TOKEN));
      JsonObject reply = client.read();
      assertThat(reply.getString("address")).isEqualTo("r2");
      assertThat(reply.getJsonObject("body").getJsonObject("result").getLong("count")).isEqualTo(25);
    }
    try (Client client = new Client("?token=" + TOKEN)) {
      client.request("parallax.internal.scheduler.status", new JsonObject(), "r1", null);
      assertThat(client.read()).isEqualTo(new JsonObject().put("type", "err").put("body", "access_denied"));
    }
  }

  @Test
  @DisplayName("closes the connection after an err frame for a frame that is not a JSON object")
  void malformedFrame() throws Exception {
    try (Client client = new Client("?token=" + TOKEN)) {
      client.socket.writeTextMessage("[1, 2");
      JsonObject err = client.read();
      assertThat(err.getString("type")).isEqualTo("err");
      assertThat(err.getString("body")).startsWith("invalid_frame");
      client.closed.get(10, TimeUnit.SECONDS);
    }
  }
}
