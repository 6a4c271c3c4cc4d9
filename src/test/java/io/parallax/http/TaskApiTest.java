package io.parallax.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.Http;
import io.parallax.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("Running a task over HTTP")
class TaskApiTest {

  private static ParallaxNode node;
  private static Http http;

  @BeforeAll
  static void start(Vertx vertx) {
    node = TestNodes.start(TestNodes.config());
    http = new Http(vertx, node.httpPort());
  }

  @AfterAll
  static void stop() {
    BlockingTask.open();
    TestNodes.stop(node);
  }

  @BeforeEach
  void closeGate() {
    BlockingTask.close();
  }

  @Nested
  @DisplayName("answers each built-in task with the reference result")
  class Results {

    @Test
    @DisplayName("primes: pi(10^7) = 664,579, with the task name, node and time")
    void primes(VertxTestContext test) {
      http.postJson("/api/tasks/primes", new JsonObject().put("from", 0).put("to", 10_000_000))
          .onComplete(test.succeeding(response -> test.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            JsonObject body = response.bodyAsJsonObject();
            assertThat(body.getString("task")).isEqualTo("primes");
            assertThat(body.getString("node")).isEqualTo(node.info().nodeId());
            assertThat(body.getLong("millis")).isNotNegative();
            assertThat(body.getJsonObject("result").getLong("count")).isEqualTo(664_579);
            test.completeNow();
          })));
    }

    @Test
    @DisplayName("pbkdf2: the key equals the JDK's, the PHC string verifies, a wrong password does not")
    void pbkdf2RoundTrip(VertxTestContext test) {
      String salt = Base64.getEncoder().encodeToString("parallax-salt-16".getBytes());
      JsonObject request = new JsonObject().put("password", "correct horse").put("salt", salt)
          .put("iterations", 20_000).put("keyLength", 48);
      http.postJson("/api/tasks/pbkdf2", request)
          .compose(response -> {
            JsonObject result = response.bodyAsJsonObject().getJsonObject("result");
            test.verify(() -> {
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(result.getString("key")).isEqualTo(jdkPbkdf2("correct horse", "parallax-salt-16", 20_000, 48));
              assertThat(result.getString("salt")).isEqualTo(salt);
              assertThat(result.getInteger("iterations")).isEqualTo(20_000);
              assertThat(result.getString("phc")).startsWith("$pbkdf2-sha256$i=20000$");
            });
            String phc = result.getString("phc");
            return http.postJson("/api/tasks/pbkdf2-verify", new JsonObject().put("password", "correct horse")
                    .put("phc", phc))
                .compose(right -> http.postJson("/api/tasks/pbkdf2-verify",
                        new JsonObject().put("password", "wrong horse").put("phc", phc))
                    .map(wrong -> new HttpResponse[] {right, wrong}));
          })
          .onComplete(test.succeeding(answers -> test.verify(() -> {
            assertThat(((HttpResponse<?>) answers[0]).bodyAsJsonObject().getJsonObject("result").getBoolean("match"))
                .isTrue();
            assertThat(((HttpResponse<?>) answers[1]).bodyAsJsonObject().getJsonObject("result").getBoolean("match"))
                .isFalse();
            test.completeNow();
          })));
    }

    @Test
    @DisplayName("pbkdf2: without a salt, a fresh random 16-byte salt each time")
    void randomSalt(VertxTestContext test) {
      JsonObject request = new JsonObject().put("password", "pw").put("iterations", 1_000);
      http.postJson("/api/tasks/pbkdf2", request)
          .compose(first -> http.postJson("/api/tasks/pbkdf2", request).map(second -> new String[] {
              first.bodyAsJsonObject().getJsonObject("result").getString("salt"),
              second.bodyAsJsonObject().getJsonObject("result").getString("salt")}))
          .onComplete(test.succeeding(salts -> test.verify(() -> {
            assertThat(Base64.getDecoder().decode(salts[0])).hasSize(16);
            assertThat(salts[0]).isNotEqualTo(salts[1]);
            test.completeNow();
          })));
    }

    @Test
    @DisplayName("mandelbrot: a PNG of the asked size, with its media type")
    void mandelbrot(VertxTestContext test) {
      http.postJson("/api/tasks/mandelbrot", new JsonObject().put("width", 64).put("height", 48)
              .put("scale", 0.05).put("maxIterations", 200))
          .onComplete(test.succeeding(response -> test.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.getHeader("content-type")).isEqualTo("image/png");
            assertThat(response.getHeader("X-Parallax-Task")).isEqualTo("mandelbrot");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body().getBytes()));
            assertThat(image.getWidth()).isEqualTo(64);
            assertThat(image.getHeight()).isEqualTo(48);
            test.completeNow();
          })));
    }
  }

  @Nested
  @DisplayName("rejects bad requests with a JSON error and a 4xx")
  class BadRequests {

    @Test
    @DisplayName("a parameter out of bounds: 400 INVALID_PARAM naming the field")
    void outOfBounds(VertxTestContext test) {
      expectError(test, http.postJson("/api/tasks/pbkdf2",
              new JsonObject().put("password", "x").put("iterations", 10_000_001)),
          400, "INVALID_PARAM", "iterations must be between 1 and 10000000", "iterations");
    }

    @Test
    @DisplayName("a rule across parameters: 400 when from is not below to")
    void crossField(VertxTestContext test) {
      expectError(test, http.postJson("/api/tasks/primes", new JsonObject().put("from", 50).put("to", 10)),
          400, "INVALID_PARAM", "to must be greater than from", "to");
    }

    @Test
    @DisplayName("a range wider than 10^11: 400 naming the bound")
    void spanTooWide(VertxTestContext test) {
      expectError(test, http.postJson("/api/tasks/primes", new JsonObject().put("from", 0).put("to", 200_000_000_000L)),
          400, "INVALID_PARAM", "to - from must be at most 100000000000", "to");
    }

    @Test
    @DisplayName("malformed JSON: 400 MALFORMED_JSON")
    void malformedJson(VertxTestContext test) {
      expectError(test, http.post("/api/tasks/primes", "application/json", "{\"to\": "),
          400, "MALFORMED_JSON", "request body is not valid JSON", null);
    }

    @Test
    @DisplayName("a JSON array instead of an object: 400 MALFORMED_JSON")
    void notAnObject(VertxTestContext test) {
      expectError(test, http.post("/api/tasks/primes", "application/json", "[1, 2]"),
          400, "MALFORMED_JSON", "request body must be a JSON object", null);
    }

    @Test
    @DisplayName("a body that is not JSON: 415")
    void notJson(VertxTestContext test) {
      expectError(test, http.post("/api/tasks/primes", "text/plain", "to=10"),
          415, "UNSUPPORTED_MEDIA_TYPE", "request body must be application/json", null);
    }

    @Test
    @DisplayName("a body over the limit: 413")
    void tooLarge(VertxTestContext test) {
      String huge = "{\"password\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
      expectError(test, http.post("/api/tasks/pbkdf2", "application/json", huge),
          413, "BODY_TOO_LARGE", "request body exceeds the limit", null);
    }

    @Test
    @DisplayName("an unknown task: 404 UNKNOWN_TASK")
    void unknownTask(VertxTestContext test) {
      expectError(test, http.postJson("/api/tasks/fibonacci", new JsonObject()),
          404, "UNKNOWN_TASK", "no task named 'fibonacci'", null);
    }

    @Test
    @DisplayName("a timeout outside its bounds: 400 naming timeout")
    void badTimeout(VertxTestContext test) {
      expectError(test, http.postJson("/api/tasks/primes?timeout=0", new JsonObject()),
          400, "INVALID_PARAM", "timeout must be between 1 and 300000 ms", "timeout");
    }
  }

  @Nested
  @DisplayName("keeps a failing task to its own request")
  class Failures {

    @Test
    @DisplayName("an exception or a stack overflow gives 500 TASK_FAILED, and the workers keep serving")
    void crashes(VertxTestContext test) {
      expectError(test, http.postJson("/api/tasks/test-fail", new JsonObject().put("mode", 0))
              .compose(first -> {
                test.verify(() -> assertThat(first.bodyAsJsonObject().getJsonObject("error").getString("message"))
                    .isEqualTo("test-fail failed: IllegalStateException: boom"));
                return http.postJson("/api/tasks/test-fail", new JsonObject().put("mode", 1));
              })
              .compose(overflow -> {
                test.verify(() -> {
                  assertThat(overflow.statusCode()).isEqualTo(500);
                  assertThat(overflow.bodyAsString()).contains("StackOverflowError").doesNotContain("\tat ");
                });
                return http.postJson("/api/tasks/primes", new JsonObject().put("to", 1000));
              })
              .compose(primes -> {
                test.verify(() -> assertThat(primes.bodyAsJsonObject().getJsonObject("result").getLong("count"))
                    .isEqualTo(168));
                return http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 0 && n.getInteger("queued") == 0,
                    Duration.ofSeconds(10)).compose(n -> http.postJson("/api/tasks/test-fail", new JsonObject()));
              }),
          500, "TASK_FAILED", "test-fail failed: IllegalStateException: boom", null);
    }

    @Test
    @DisplayName("a task past its timeout: 504 TIMEOUT, and the worker is free again")
    void timeout(VertxTestContext test) {
      http.postJson("/api/tasks/test-block?timeout=300", new JsonObject())
          .compose(response -> {
            test.verify(() -> {
              assertThat(response.statusCode()).isEqualTo(504);
              assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");
            });
            return http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 0, Duration.ofSeconds(10));
          })
          .compose(idle -> http.postJson("/api/tasks/primes", new JsonObject().put("to", 100)))
          .onComplete(test.succeeding(response -> test.verify(() -> {
            assertThat(response.bodyAsJsonObject().getJsonObject("result").getLong("count")).isEqualTo(25);
            test.completeNow();
          })));
    }
  }

  @Nested
  @DisplayName("a task that ignores its deadline")
  class Overrun {

    @Test
    @DisplayName("gets 504 TIMEOUT after the grace period; its worker takes no work until it is through")
    void heldBack(VertxTestContext test) {
      http.postJson("/api/tasks/test-block?timeout=200", new JsonObject().put("ignoreDeadline", 1))
          .compose(response -> {
            test.verify(() -> {
              assertThat(response.statusCode()).isEqualTo(504);
              assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("TIMEOUT");
            });
            return http.postJson("/api/tasks/primes", new JsonObject().put("to", 100));
          })
          .compose(meanwhile -> {
            test.verify(() -> {
              assertThat(meanwhile.bodyAsJsonObject().getJsonObject("result").getLong("count")).isEqualTo(25);
              assertThat(BlockingTask.running()).as("the overrunning task still spins").isEqualTo(1);
            });
            return http.get("/api/node");
          })
          .compose(node -> {
            test.verify(() -> assertThat(node.bodyAsJsonObject().getInteger("busyWorkers")).isEqualTo(1));
            BlockingTask.open();
            return http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 0, Duration.ofSeconds(30));
          })
          .onComplete(test.succeeding(idle -> test.verify(() -> {
            assertThat(idle.getInteger("workers")).isEqualTo(2);
            test.completeNow();
          })));
    }
  }

  static void expectError(VertxTestContext test, io.vertx.core.Future<HttpResponse<Buffer>> response, int status,
                          String code, String message, String field) {
    response.onComplete(test.succeeding(r -> test.verify(() -> {
      assertThat(r.statusCode()).isEqualTo(status);
      assertThat(r.getHeader("content-type")).isEqualTo("application/json");
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo(code);
      assertThat(error.getString("message")).startsWith(message);
      assertThat(error.getString("field")).isEqualTo(field);
      test.completeNow();
    })));
  }

  private static String jdkPbkdf2(String password, String salt, int iterations, int keyLength) throws Exception {
    byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt.getBytes(), iterations, keyLength * 8))
        .getEncoded();
    return HexFormat.of().formatHex(key);
  }
}
