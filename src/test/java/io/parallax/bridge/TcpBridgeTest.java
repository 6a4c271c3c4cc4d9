package io.parallax.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.bus.Addresses;
import io.parallax.config.Setting;
import java.util.Map;
import java.util.UUID;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.TcpBridgeClient;
import io.parallax.support.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadWatch.class)
@DisplayName("The TCP event-bus bridge, with a raw-socket client")
class TcpBridgeTest {

  private static ParallaxNode node;
  private static ParallaxNode guarded;
  private static ParallaxNode bounded;

  @BeforeAll
  static void start() {
    node = TestNodes.start(TestNodes.config());
    guarded = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_TOKEN, "s3cret-token")));
    bounded = TestNodes.start(TestNodes.config(Map.of(Setting.BRIDGE_MAX_CONNECTIONS, "2",
        Setting.BRIDGE_MAX_REGISTRATIONS, "2")));
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
    TestNodes.stop(guarded);
    TestNodes.stop(bounded);
  }

  @Nested
  @DisplayName("speaks the frame protocol")
  class Protocol {

    @Test
    @DisplayName("send with a reply address: a task's reply comes back as a message frame")
    void requestReply() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
        JsonObject reply = client.request("parallax.task.primes", new JsonObject().put("to", 1000), null);
        assertThat(reply.getString("type")).isEqualTo("message");
        assertThat(reply.getString("address")).isEqualTo("r-1");
        assertThat(reply.getJsonObject("body").getJsonObject("result").getLong("count")).isEqualTo(168);
      }
    }

    @Test
    @DisplayName("a task's own failure comes back as err with its code, and the timeout header is a number")
    void failures() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
        JsonObject invalid = client.request("parallax.task.primes", new JsonObject().put("to", -5), null);
        assertThat(invalid.getString("type")).isEqualTo("err");
        assertThat(invalid.getInteger("failureCode")).isEqualTo(400);
        assertThat(invalid.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
        assertThat(new JsonObject(invalid.getString("message")).getJsonObject("error").getString("field"))
            .isEqualTo("to");
        io.parallax.support.BlockingTask.close();
        JsonObject timedOut = client.request("parallax.task.test-block", new JsonObject(),
            new JsonObject().put("timeout", 200));
        io.parallax.support.BlockingTask.open();
        assertThat(timedOut.getString("type")).isEqualTo("err");
        assertThat(timedOut.getInteger("failureCode")).isEqualTo(504);
        JsonObject nobody = client.request("parallax.task.no-such-task", new JsonObject(), null);
        assertThat(nobody.getString("failureType")).isEqualTo("NO_HANDLERS");
      }
    }

    @Test
    @DisplayName("ping gets pong")
    void ping() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
        client.send(new JsonObject().put("type", "ping"));
        assertThat(client.read().getString("type")).isEqualTo("pong");
      }
    }

    @Test
    @DisplayName("register on a job's progress, submit the job, receive every event, unregister")
    void registerForProgress() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
        // A job of the gated test task waits until its events are followed.
        io.parallax.support.BlockingTask.close();
        JsonObject accepted = client.request(Addresses.JOBS_SUBMIT, new JsonObject().put("task", "test-chunks")
            .put("chunks", 3).put("params", new JsonObject().put("items", 3)), null);
        String id = accepted.getJsonObject("body").getString("id");
        client.send(new JsonObject().put("type", "register").put("address", Addresses.jobEvents(id)));
        client.send(new JsonObject().put("type", "ping"));
        assertThat(client.read().getString("type")).as("registered before pong").isEqualTo("pong");
        io.parallax.support.BlockingTask.open();
        int chunks = 0;
        JsonObject event;
        do {
          event = client.read();
          assertThat(event.getString("address")).isEqualTo(Addresses.jobEvents(id));
          if ("chunk".equals(event.getJsonObject("body").getString("type"))) {
            chunks++;
          }
        } while ("chunk".equals(event.getJsonObject("body").getString("type")));
        assertThat(chunks).isEqualTo(3);
        assertThat(event.getJsonObject("body").getString("type")).isEqualTo("done");
        client.send(new JsonObject().put("type", "unregister").put("address", Addresses.jobEvents(id)));
        client.send(new JsonObject().put("type", "ping"));
        assertThat(client.read().getString("type")).isEqualTo("pong");
      }
    }

    @Test
    @DisplayName("publish to a permitted address is accepted silently")
    void publish() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
        client.send(new JsonObject().put("type", "publish").put("address", "parallax.task.primes")
            .put("body", new JsonObject().put("to", 10)));
        client.send(new JsonObject().put("type", "ping"));
        assertThat(client.read().getString("type")).isEqualTo("pong");
      }
    }
  }

  @Nested
  @DisplayName("enforces the policy")
  class Policy {

    @Test
    @DisplayName("denies internal, Vert.x and unlisted addresses with access_denied, keeping the connection")
    void denied() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
        for (String address : new String[] {"parallax.internal.scheduler.status", "__vertx.reply.1", "some.other"}) {
          JsonObject denied = client.request(address, new JsonObject(), null);
          assertThat(denied.getString("type")).isEqualTo("err");
          assertThat(denied.getString("message")).startsWith("access_denied");
        }
        client.send(new JsonObject().put("type", "register").put("address", Addresses.JOBS_SUBMIT));
        assertThat(client.read().getString("message")).startsWith("access_denied");
        client.send(new JsonObject().put("type", "ping"));
        assertThat(client.read().getString("type")).isEqualTo("pong");
      }
    }

    @Test
    @DisplayName("with a token configured, requires headers.auth and accepts the right one")
    void token() throws Exception {
      try (TcpBridgeClient client = new TcpBridgeClient(guarded.tcpBridgePort())) {
        JsonObject none = client.request("parallax.task.primes", new JsonObject(), null);
        assertThat(none.getString("message")).startsWith("access_denied");
        JsonObject wrong = client.request("parallax.task.primes", new JsonObject(),
            new JsonObject().put("auth", "guess"));
        assertThat(wrong.getString("message")).startsWith("access_denied");
        JsonObject right = client.request("parallax.task.primes", new JsonObject().put("to", 100),
            new JsonObject().put("auth", "s3cret-token"));
        assertThat(right.getJsonObject("body").getJsonObject("result").getLong("count")).isEqualTo(25);
      }
    }
  }

  @Nested
  @DisplayName("bounds each client")
  class Bounds {

    @Test
    @DisplayName("a connection over bridge.maxConnections gets too_many_connections and is closed; a freed place is taken again")
    void connections() throws Exception {
      try (TcpBridgeClient first = acceptedClient(); TcpBridgeClient second = acceptedClient()) {
        try (TcpBridgeClient third = new TcpBridgeClient(bounded.tcpBridgePort())) {
          JsonObject refused = third.read();
          assertThat(refused.getString("type")).isEqualTo("err");
          assertThat(refused.getString("message")).isEqualTo("too_many_connections");
          assertThat(third.closedByServer()).isTrue();
        }
        second.close();
        acceptedClient().close();
        first.send(new JsonObject().put("type", "ping"));
        assertThat(first.read().getString("type")).as("the first connection is untouched").isEqualTo("pong");
      }
    }

    /**
     * A connection the node has answered, hence counted. The node frees a place once it has seen a connection
     * close, so one closed a moment ago (here or by an earlier test) may still hold it.
     */
    private TcpBridgeClient acceptedClient() throws Exception {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (true) {
        TcpBridgeClient client = new TcpBridgeClient(bounded.tcpBridgePort());
        client.send(new JsonObject().put("type", "ping"));
        JsonObject answer = client.read();
        if (!"too_many_connections".equals(answer.getString("message")) || System.nanoTime() > deadline) {
          assertThat(answer.getString("type")).as("accepted: " + answer).isEqualTo("pong");
          return client;
        }
        client.close();
        Thread.sleep(20);
      }
    }

    @Test
    @DisplayName("a registration over bridge.maxRegistrations gets too_many_registrations; unregistering frees a place")
    void registrations() throws Exception {
      String a = Addresses.jobEvents(UUID.randomUUID().toString());
      String b = Addresses.jobEvents(UUID.randomUUID().toString());
      String c = Addresses.jobEvents(UUID.randomUUID().toString());
      try (TcpBridgeClient client = acceptedClient()) {
        client.send(register(a));
        client.send(register(b));
        client.send(register(a));
        client.send(register(c));
        JsonObject refused = client.read();
        assertThat(refused.getString("type")).isEqualTo("err");
        assertThat(refused.getString("message")).startsWith("too_many_registrations");
        assertThat(refused.getString("address")).isEqualTo(c);
        client.send(new JsonObject().put("type", "unregister").put("address", a));
        client.send(register(c));
        client.send(new JsonObject().put("type", "ping"));
        assertThat(client.read().getString("type")).as("registered without an error").isEqualTo("pong");
        bounded.vertx().eventBus().publish(c, new JsonObject().put("type", "probe"));
        JsonObject delivered = client.read();
        assertThat(delivered.getString("address")).as("c is registered").isEqualTo(c);
        assertThat(delivered.getJsonObject("body").getString("type")).isEqualTo("probe");
      }
    }

    private JsonObject register(String address) {
      return new JsonObject().put("type", "register").put("address", address);
    }
  }

  @Nested
  @DisplayName("closes the connection after an err frame for a malformed frame")
  class Malformed {

    @Test
    @DisplayName("a length over the maximum, even 2^31-1")
    void tooLong() throws Exception {
      for (int length : new int[] {Integer.MAX_VALUE, 2 * 1024 * 1024, 0, -1}) {
        try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
          client.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
              (byte) length});
          JsonObject err = client.read();
          assertThat(err.getString("type")).isEqualTo("err");
          assertThat(err.getString("message")).startsWith("invalid_frame_length");
          assertThat(client.closedByServer()).isTrue();
        }
      }
    }

    @Test
    @DisplayName("bytes that are not UTF-8 JSON, and JSON of the wrong shape")
    void badJson() throws Exception {
      byte[][] bodies = {"{not json".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28},
          "[1,2]".getBytes(StandardCharsets.UTF_8), "{\"type\": 5}".getBytes(StandardCharsets.UTF_8),
          "{\"type\": \"send\", \"address\": 7}".getBytes(StandardCharsets.UTF_8),
          "{\"type\": \"fly\", \"address\": \"x\"}".getBytes(StandardCharsets.UTF_8),
          "{\"type\": \"send\", \"address\": \"x\", \"headers\": []}".getBytes(StandardCharsets.UTF_8)};
      for (byte[] body : bodies) {
        try (TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort())) {
          client.writeRaw(body);
          JsonObject err = client.read();
          assertThat(err.getString("type")).isEqualTo("err");
          assertThat(err.getString("message")).startsWith("invalid_frame");
          assertThat(client.closedByServer()).isTrue();
        }
      }
    }
  }
}
