package io.parallax.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.TcpBridgeClient;
import io.parallax.support.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadWatch.class)
@DisplayName("The TCP bridge under 10,000 malformed or random frames")
class TcpBridgeFuzzTest {

  private static final int FRAMES = 10_000;
  private static ParallaxNode node;

  @BeforeAll
  static void start() {
    node = TestNodes.start(TestNodes.config());
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("keeps serving normally afterwards, and its heap does not grow out of bounds")
  void survivesFuzzing() throws Exception {
    Random random = new Random(7);
    long heapBefore = usedHeapAfterGc();
    TcpBridgeClient client = new TcpBridgeClient(node.tcpBridgePort());
    client.readTimeout(2_000);
    for (int i = 0; i < FRAMES; i++) {
      try {
        fire(client, random, i);
      } catch (IOException closedByServer) {
        client.close();
        client = new TcpBridgeClient(node.tcpBridgePort());
        client.readTimeout(2_000);
      }
      if (i % 50 == 49) {
        // Start afresh now and then, so that frames also meet new connections mid-stream.
        client.close();
        client = new TcpBridgeClient(node.tcpBridgePort());
        client.readTimeout(2_000);
      }
    }
    client.close();

    // The fuzzer's last connections and its valid fire-and-forget tasks take a moment to clear; then service
    // is normal (a new connection for each try: the node closes one it cannot take).
    JsonObject reply = null;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (TcpBridgeClient healthy = new TcpBridgeClient(node.tcpBridgePort())) {
        reply = healthy.request("parallax.task.primes", new JsonObject().put("to", 1000), null);
        if ("message".equals(reply.getString("type"))) {
          break;
        }
      }
      Thread.sleep(50); // too many connections or a full queue still: give the node a moment
    }
    assertThat(reply).isNotNull();
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("message");
    assertThat(reply.getJsonObject("body").getJsonObject("result").getLong("count")).isEqualTo(168);
    long heapAfter = usedHeapAfterGc();
    assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(64L * 1024 * 1024);
  }

  private static void fire(TcpBridgeClient client, Random random, int i) throws IOException {
    switch (i % 8) {
      case 0 -> client.writeBytes(intBytes(Integer.MAX_VALUE));
      case 1 -> client.writeBytes(intBytes(-random.nextInt(1000)));
      case 2 -> {
        byte[] noise = new byte[1 + random.nextInt(200)];
        random.nextBytes(noise);
        client.writeRaw(noise);
      }
      case 3 -> client.writeRaw("{\"type\": \"send\", \"address\": ".getBytes(StandardCharsets.UTF_8));
      case 4 -> client.writeRaw(("{\"type\": \"send\", \"address\": \"parallax.task.primes\", \"headers\": {\"h\": \""
          + "x".repeat(random.nextInt(500_000)) + "\"}, \"body\": {\"to\": 10}}").getBytes(StandardCharsets.UTF_8));
      case 5 -> client.writeRaw(("{\"type\": " + random.nextInt() + "}").getBytes(StandardCharsets.UTF_8));
      case 6 -> {
        byte[] truncated = intBytes(1000);
        client.writeBytes(truncated);
        client.writeBytes("{\"type\":".getBytes(StandardCharsets.UTF_8));
        client.close(); // truncated frame, connection dropped mid-frame
        throw new IOException("dropped");
      }
      default -> client.send(new JsonObject().put("type", random.nextBoolean() ? "register" : "send")
          .put("address", "parallax.internal.x" + random.nextInt(10)).put("body", random.nextInt()));
    }
  }

  private static byte[] intBytes(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100); // let the collector finish before reading the figure
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
