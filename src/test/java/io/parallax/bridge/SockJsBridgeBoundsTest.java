package io.parallax.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallax.ParallaxNode;
import io.parallax.config.Setting;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
  private static final String ORIGIN = "https://app.example";
  private static final JsonObject TOO_MANY_CONNECTIONS =
      new JsonObject().put("type", "err").put("body", "too_many_connections");
  private static ParallaxNode node;
  /** No token, one allowed web origin, at most two connections. */
  private static ParallaxNode fenced;
  /** Closes SockJS connections silent for 3 s: a test that pings every 250 ms never comes near it. */
  private static ParallaxNode impatient;
  private static Vertx vertx;
  /** One client for the whole class: Vert.x closes a client that is no longer referenced, open sockets and all. */
  private static WebSocketClient webSockets;

  @BeforeAll
  static void start() {
    node = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_TOKEN, TOKEN, Setting.BRIDGE_MAX_IN_FLIGHT, "2")));
    // Configured as people write URLs, with a trailing slash; browsers send the origin without one.
    fenced = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_ALLOWED_ORIGIN, ORIGIN + "/",
        Setting.BRIDGE_MAX_CONNECTIONS, "2")));
    impatient = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_SOCKJS_IDLE_TIMEOUT_MS, "3000")));
    vertx = Vertx.vertx();
    webSockets = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    BlockingTask.open();
    TestNodes.stop(node);
    TestNodes.stop(fenced);
    TestNodes.stop(impatient);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One raw WebSocket connection to the bridge: frames go out as text, frames that come back are queued. */
  private static final class Client implements AutoCloseable {
    final WebSocket socket;
    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    Client(String query) throws Exception {
      this(node, query, null);
    }

    /** A connection to {@code target}, sending {@code origin} as a browser would (none when null). */
    Client(ParallaxNode target, String query, String origin) throws Exception {
      // Handlers are set on the connection's own thread as it opens, so that no early frame or close is missed.
      socket = connect(target, query, origin).onSuccess(opened -> {
        opened.handler(data -> frames.add(new JsonObject(data)));
        opened.closeHandler(nothing -> closed.complete(null));
      }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Future<WebSocket> connect(ParallaxNode target, String query, String origin) {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(target.httpPort()).setURI("/eventbus/websocket" + query).setAllowOriginHeader(origin != null);
      if (origin != null) {
        options.addHeader("Origin", origin);
      }
      return webSockets.connect(options);
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

  @Test
  @DisplayName("with bridge.allowedOrigin, refuses other web origins on every transport and serves its own")
  void allowedOrigin() throws Exception {
    assertThatThrownBy(() -> Client.connect(fenced, "", "https://evil.example").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(UpgradeRejectedException.class)
        .satisfies(refused -> assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(403));

    // SockJS's XHR transports, which browsers use where WebSockets are blocked.
    WebClient web = WebClient.create(vertx);
    try {
      HttpResponse<Buffer> xhr = web.request(HttpMethod.POST, fenced.httpPort(), "127.0.0.1",
          "/eventbus/000/abcdefgh/xhr").putHeader("Origin", "https://evil.example").send()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(xhr.statusCode()).isEqualTo(403);
      assertThat(xhr.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("ACCESS_DENIED");
      // SockJS's info request, which opens no connection that would hold one of the node's two places.
      HttpResponse<Buffer> own = web.request(HttpMethod.GET, fenced.httpPort(), "127.0.0.1", "/eventbus/info")
          .putHeader("Origin", ORIGIN).send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(own.statusCode()).isEqualTo(200);
      assertThat(own.bodyAsJsonObject().getBoolean("websocket")).isTrue();
    } finally {
      web.close();
    }

    for (String origin : new String[] {ORIGIN, null}) {
      try (Client client = acceptedByFenced(origin)) {
        client.request("parallax.task.primes", new JsonObject().put("to", 100), "r2", null);
        assertThat(client.read().getJsonObject("body").getJsonObject("result").getLong("count")).isEqualTo(25);
      }
    }
  }

  /**
   * A connection to {@code fenced} that has been answered, hence counted. The node frees a place once it sees
   * a connection close, so connections of an earlier test may hold places for a moment.
   */
  private static Client acceptedByFenced(String origin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Client client = new Client(fenced, "", origin);
      client.request("parallax.task.primes", new JsonObject().put("to", 10), "r1", null);
      JsonObject answer = client.read();
      if (!answer.equals(TOO_MANY_CONNECTIONS) || System.nanoTime() > deadline) {
        assertThat(answer.getString("type")).as("accepted: " + answer).isEqualTo("rec");
        return client;
      }
      client.closed.get(10, TimeUnit.SECONDS);
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("refuses a connection over bridge.maxConnections with too_many_connections and closes it")
  void boundsConnections() throws Exception {
    try (Client first = acceptedByFenced(ORIGIN); Client second = acceptedByFenced(ORIGIN)) {
      try (Client third = new Client(fenced, "", ORIGIN)) {
        assertThat(third.read()).isEqualTo(TOO_MANY_CONNECTIONS);
        third.closed.get(10, TimeUnit.SECONDS);
      }
      first.request("parallax.task.primes", new JsonObject().put("to", 10), "r2", null);
      assertThat(first.read().getString("address")).as("the others are untouched").isEqualTo("r2");
    }
  }

  @Test
  @DisplayName("closes a connection silent for bridge.sockjsIdleTimeoutMs; one that pings stays open")
  void closesIdleConnections() throws Exception {
    try (Client pinging = new Client(impatient, "", null); Client silent = new Client(impatient, "", null)) {
      long opened = System.nanoTime();
      pinging.request("parallax.task.primes", new JsonObject().put("to", 10), "r1", null);
      assertThat(pinging.read().getString("type")).isEqualTo("rec");
      long lastFrame = System.nanoTime(); // just before the silent connection's last frame leaves
      silent.request("parallax.task.primes", new JsonObject().put("to", 10), "r1", null);
      assertThat(silent.read().getString("type")).isEqualTo("rec");
      while (!silent.closed.isDone() && System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(30)) {
        pinging.send(new JsonObject().put("type", "ping"));
        Thread.sleep(250); // the client's own rhythm, as the client library pings every few seconds
      }
      assertThat(silent.closed).as("the silent connection closed within 30 s").isDone();
      assertThat(System.nanoTime() - lastFrame).as("not before its timeout")
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(3_000));
      assertThat(pinging.closed).as("the pinging connection still open").isNotDone();
      pinging.request("parallax.task.primes", new JsonObject().put("to", 10), "r2", null);
      assertThat(pinging.read().getString("address")).isEqualTo("r2");
    }
  }
}
