package io.parallax.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskRegistry;
import io.parallax.compute.tasks.MandelbrotTask;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.Http;
import io.parallax.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("A job's merged result equals the single-thread result")
class JobResultsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static ParallaxNode node;
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    node = TestNodes.start(TestNodes.config());
    http = new Http(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  @ParameterizedTest(name = "in {0} chunks")
  @ValueSource(ints = {1, 2, 7, 64, 500})
  @DisplayName("primes: pi(10^7) = 664,579, every chunk computed on this node")
  void primes(int chunks, VertxTestContext test) {
    JsonObject spec = new JsonObject().put("task", "primes").put("chunks", chunks)
        .put("params", new JsonObject().put("from", 0).put("to", 10_000_000));
    http.submitJob(spec)
        .compose(id -> http.awaitJobFinished(id, DEADLINE))
        .onComplete(test.succeeding(status -> test.verify(() -> {
          assertThat(status.getString("state")).isEqualTo("SUCCEEDED");
          assertThat(status.getJsonObject("chunks").getInteger("total")).isEqualTo(chunks);
          assertThat(status.getJsonObject("chunks").getInteger("done")).isEqualTo(chunks);
          assertThat(status.getJsonObject("result").getLong("count")).isEqualTo(664_579);
          assertThat(status.getJsonObject("workers").getInteger(node.info().nodeId())).isEqualTo(chunks);
          test.completeNow();
        })));
  }

  @ParameterizedTest(name = "in {0} tiles")
  @ValueSource(ints = {1, 4, 64, 300})
  @DisplayName("mandelbrot: the merged PNG equals the single render pixel for pixel")
  void mandelbrot(int chunks, VertxTestContext test) throws Exception {
    JsonObject params = new JsonObject().put("width", 333).put("height", 201).put("centerX", -0.75)
        .put("scale", 0.009).put("maxIterations", 400);
    MandelbrotTask task = new MandelbrotTask();
    JsonObject validated = TaskRegistry.of(List.of(task)).validate(task, params);
    BufferedImage reference = decode(task.run(validated, TaskContext.UNBOUNDED).binary().getBytes());
    http.submitJob(new JsonObject().put("task", "mandelbrot").put("chunks", chunks).put("params", params))
        .compose(id -> http.awaitJobFinished(id, DEADLINE)
            .compose(status -> {
              test.verify(() -> assertThat(status.getString("state")).isEqualTo("SUCCEEDED"));
              return http.get("/api/jobs/" + id + "/result");
            }))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.getHeader("content-type")).isEqualTo("image/png");
          BufferedImage merged = decode(response.body().getBytes());
          assertThat(merged.getWidth()).isEqualTo(333);
          assertThat(merged.getHeight()).isEqualTo(201);
          for (int y = 0; y < 201; y++) {
            for (int x = 0; x < 333; x++) {
              if (merged.getRGB(x, y) != reference.getRGB(x, y)) {
                throw new AssertionError("pixel (" + x + ", " + y + ") differs");
              }
            }
          }
          test.completeNow();
        })));
  }

  @ParameterizedTest(name = "in {0} chunks")
  @ValueSource(ints = {1, 3, 25})
  @DisplayName("pbkdf2-batch: hashes in input order, each with its own salt, each equal to the JDK's")
  void pbkdf2Batch(int chunks, VertxTestContext test) {
    JsonArray passwords = new JsonArray();
    for (int i = 0; i < 25; i++) {
      passwords.add("password-" + i);
    }
    JsonObject spec = new JsonObject().put("task", "pbkdf2-batch").put("chunks", chunks)
        .put("params", new JsonObject().put("passwords", passwords).put("iterations", 2_000));
    http.submitJob(spec)
        .compose(id -> http.awaitJobFinished(id, DEADLINE))
        .onComplete(test.succeeding(status -> test.verify(() -> {
          assertThat(status.getString("state")).isEqualTo("SUCCEEDED");
          JsonArray hashes = status.getJsonObject("result").getJsonArray("hashes");
          assertThat(hashes).hasSize(25);
          Set<String> salts = new HashSet<>();
          for (int i = 0; i < 25; i++) {
            JsonObject hash = hashes.getJsonObject(i);
            byte[] salt = Base64.getDecoder().decode(hash.getString("salt"));
            assertThat(salt).hasSize(16);
            salts.add(hash.getString("salt"));
            assertThat(hash.getString("key")).isEqualTo(jdk("password-" + i, salt, 2_000, 32));
            assertThat(hash.getString("phc")).startsWith("$pbkdf2-sha256$i=2000$");
          }
          assertThat(salts).hasSize(25);
          test.completeNow();
        })));
  }

  private static BufferedImage decode(byte[] png) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  private static String jdk(String password, byte[] salt, int iterations, int keyLength) throws Exception {
    byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyLength * 8)).getEncoded();
    return java.util.HexFormat.of().formatHex(key);
  }
}
