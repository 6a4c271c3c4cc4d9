package io.parallax.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.TestNodes;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SockJS bridge with the real client library, run by Node.js (installed by npm from src/test/node). */
@ExtendWith(BlockedThreadWatch.class)
@DisplayName("The SockJS bridge, with the Vert.x event-bus client on Node.js")
class SockJsBridgeTest {

  private static final Path CLIENT_DIR = Path.of("src", "test", "node");
  private static ParallaxNode node;

  @BeforeAll
  static void start() throws Exception {
    installClient();
    node = TestNodes.start(TestNodes.config());
  }

  @AfterAll
  static void stop() {
    BlockingTask.open();
    TestNodes.stop(node);
  }

  /** npm ci is idempotent; skipped when the client is already installed. */
  private static void installClient() throws Exception {
    if (Files.isDirectory(CLIENT_DIR.resolve("node_modules/@vertx/eventbus-bridge-client.js"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
        .directory(CLIENT_DIR.toFile()).inheritIO().start();
    assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
    assertThat(npm.exitValue()).as("npm ci in src/test/node").isZero();
  }

  @Test
  @DisplayName("request-reply to a task, denial outside the policy, a job submitted and every progress event received")
  void realClient() throws Exception {
    BlockingTask.close();
    Process client = new ProcessBuilder("node", "sockjs-bridge-check.js",
        "http://127.0.0.1:" + node.httpPort() + "/eventbus").directory(CLIENT_DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<JsonObject> steps = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        JsonObject step = new JsonObject(line);
        steps.add(step);
        if ("registered".equals(step.getString("step"))) {
          BlockingTask.open(); // only now may the job's chunks finish: no event can be missed
        }
      }
    }
    assertThat(client.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as("client steps: " + steps).isZero();
    assertThat(steps.get(0).getLong("count")).isEqualTo(168);
    assertThat(steps.get(1).getString("step")).isEqualTo("denied");
    assertThat(steps.get(1).getString("body")).isEqualTo("access_denied");
    JsonObject events = steps.get(steps.size() - 1);
    assertThat(events.getString("step")).isEqualTo("events");
    assertThat(events.getJsonArray("chunks").getList()).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(events.getString("final")).isEqualTo("done");
    assertThat(events.getJsonObject("result").getLong("items")).isEqualTo(4);
  }
}
