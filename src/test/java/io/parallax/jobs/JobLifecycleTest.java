package io.parallax.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.ParallaxNode;
import io.parallax.bus.Addresses;
import io.parallax.support.BlockedThreadWatch;
import io.parallax.support.BlockingTask;
import io.parallax.support.Http;
import io.parallax.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadWatch.class})
@DisplayName("A job's life: progress, cancellation, retries, fairness and bounds")
class JobLifecycleTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static long runs = System.nanoTime();
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

  /** A subscription to a job's progress on the node's event bus. */
  private record Following(Future<Void> registered, Future<List<JsonObject>> events) {
  }

  private Following follow(String jobId) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Promise<List<JsonObject>> finished = Promise.promise();
    MessageConsumer<JsonObject> consumer = node.vertx().eventBus().consumer(Addresses.jobEvents(jobId));
    consumer.handler(message -> {
      events.add(message.body());
      if (!"chunk".equals(message.body().getString("type"))) {
        consumer.unregister();
        finished.tryComplete(events);
      }
    });
    return new Following(consumer.completion(), finished.future());
  }

  private static JsonObject gatedJob(int chunks, int items) {
    return new JsonObject().put("task", "test-chunks").put("chunks", chunks)
        .put("params", new JsonObject().put("items", items));
  }

  @Test
  @DisplayName("publishes one event per chunk, in order of completion, then a final done event")
  void progressEvents(VertxTestContext test) {
    http.submitJob(gatedJob(20, 100))
        .compose(id -> {
          Following following = follow(id);
          // The chunks cannot finish before the gate opens, so no event is missed.
          return following.registered().onSuccess(subscribed -> BlockingTask.open()).compose(x -> following.events());
        })
        .onComplete(test.succeeding(events -> test.verify(() -> {
          List<JsonObject> chunks = events.subList(0, events.size() - 1);
          assertThat(chunks).hasSize(20).allMatch(event -> "chunk".equals(event.getString("type")));
          assertThat(chunks.stream().map(event -> event.getInteger("index")))
              .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 20).boxed().toList());
          assertThat(chunks.stream().map(event -> event.getInteger("done")))
              .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
          assertThat(chunks).allMatch(event -> node.info().nodeId().equals(event.getString("node")));
          JsonObject last = events.get(events.size() - 1);
          assertThat(last.getString("type")).isEqualTo("done");
          assertThat(last.getString("state")).isEqualTo("SUCCEEDED");
          assertThat(last.getJsonObject("result").getLong("items")).isEqualTo(100);
          // Chunks report whole milliseconds; the job sums their exact times.
          long chunkMillis = chunks.stream().mapToLong(event -> event.getLong("millis")).sum();
          assertThat(last.getLong("workMillis")).isBetween(chunkMillis, chunkMillis + chunks.size());
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("ignores a job published instead of sent: every node would start a copy")
  void publishedJobIgnored(VertxTestContext test) {
    JsonObject job = new JsonObject().put("task", "primes").put("params", new JsonObject().put("to", 1000));
    node.vertx().eventBus().publish(Addresses.JOBS_SUBMIT, job);
    // Messages from one sender to one consumer arrive in order: once the sent job is accepted, the published
    // one has been handled.
    node.vertx().eventBus().<JsonObject>request(Addresses.JOBS_SUBMIT, job)
        .compose(accepted -> http.get("/api/jobs?limit=1000")
            .map(list -> Map.entry(accepted.body().getString("id"), list.bodyAsJsonObject())))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result.getValue().getJsonArray("jobs")).hasSize(1);
          assertThat(result.getValue().getJsonArray("jobs").getJsonObject(0).getString("id"))
              .isEqualTo(result.getKey());
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("leaves a result over 64 KiB out of the final event; the job's status still holds it")
  void bigResultOutOfTheEvent(VertxTestContext test) {
    JsonArray passwords = new JsonArray();
    IntStream.range(0, 1_000).forEach(i -> passwords.add("password-" + i));
    JsonObject job = new JsonObject().put("task", "pbkdf2-batch")
        .put("params", new JsonObject().put("passwords", passwords).put("iterations", 1));
    // Both workers held by a gated job first, so that the batch cannot finish before it is followed.
    http.submitJob(gatedJob(2, 2))
        .compose(gated -> http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 2, DEADLINE))
        .compose(busy -> http.submitJob(job))
        .compose(id -> {
          Following following = follow(id);
          return following.registered().onSuccess(subscribed -> BlockingTask.open())
              .compose(subscribed -> following.events())
              .compose(events -> http.awaitJobFinished(id, DEADLINE).map(status -> new Object[] {events, status}));
        })
        .onComplete(test.succeeding(both -> test.verify(() -> {
          @SuppressWarnings("unchecked")
          List<JsonObject> events = (List<JsonObject>) both[0];
          JsonObject last = events.get(events.size() - 1);
          assertThat(last.getString("type")).isEqualTo("done");
          assertThat(last.getBoolean("resultOmitted")).isTrue();
          assertThat(last.containsKey("result")).isFalse();
          assertThat(((JsonObject) both[1]).getJsonObject("result").getJsonArray("hashes")).hasSize(1_000);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("cancels mid-job: nothing more runs, running chunks stop, the state is CANCELLED")
  void cancelMidJob(VertxTestContext test) {
    http.submitJob(gatedJob(50, 50))
        .compose(id -> {
          Following following = follow(id);
          return following.registered()
              .compose(subscribed -> http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 2, DEADLINE))
              .compose(busy -> http.request(HttpMethod.DELETE, "/api/jobs/" + id))
              .compose(cancelled -> {
                test.verify(() -> {
                  assertThat(cancelled.statusCode()).isEqualTo(200);
                  assertThat(cancelled.bodyAsJsonObject().getString("state")).isEqualTo("CANCELLED");
                });
                return following.events();
              })
              .compose(events -> {
                test.verify(() -> {
                  assertThat(events.get(events.size() - 1).getString("type")).isEqualTo("cancelled");
                  assertThat(events).hasSize(1);
                });
                // Running chunks notice at their next checkpoint and free their workers; nothing stays queued.
                return http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 0
                    && n.getInteger("runningChunks") == 0, DEADLINE);
              })
              .compose(idle -> Future.all(http.get("/api/jobs/" + id), http.get("/api/jobs/" + id + "/result")));
        })
        .onComplete(test.succeeding(answers -> test.verify(() -> {
          JsonObject status = answers.<HttpResponse<Buffer>>resultAt(0).bodyAsJsonObject();
          assertThat(status.getString("state")).isEqualTo("CANCELLED");
          assertThat(status.getJsonObject("chunks").getInteger("done")).isZero();
          HttpResponse<Buffer> result = answers.resultAt(1);
          assertThat(result.statusCode()).isEqualTo(409);
          assertThat(result.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("NO_RESULT");
          assertThat(BlockingTask.running()).isZero();
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("retries a chunk that crashed and still gives the exact result")
  void retriesFailedChunks(VertxTestContext test) {
    JsonObject spec = new JsonObject().put("task", "test-flaky")
        .put("params", new JsonObject().put("chunks", 8).put("run", runs++));
    http.submitJob(spec)
        .compose(id -> http.awaitJobFinished(id, DEADLINE))
        .onComplete(test.succeeding(status -> test.verify(() -> {
          assertThat(status.getString("state")).isEqualTo("SUCCEEDED");
          assertThat(status.getJsonObject("result").getLong("sum")).isEqualTo(0 + 1 + 2 + 3 + 4 + 5 + 6 + 7);
          JsonObject chunks = status.getJsonObject("chunks");
          assertThat(chunks.getInteger("failed")).isEqualTo(4);
          assertThat(chunks.getInteger("retried")).isEqualTo(4);
          assertThat(chunks.getInteger("done")).isEqualTo(8);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("fails the whole job at once when the task rejects a chunk's input")
  void validationFailureFailsTheJob(VertxTestContext test) {
    JsonObject spec = new JsonObject().put("task", "test-flaky")
        .put("params", new JsonObject().put("chunks", 4).put("run", runs++).put("invalid", 1));
    http.submitJob(spec)
        .compose(id -> http.awaitJobFinished(id, DEADLINE))
        .onComplete(test.succeeding(status -> test.verify(() -> {
          assertThat(status.getString("state")).isEqualTo("FAILED");
          assertThat(status.getJsonObject("error").getString("code")).isEqualTo("INVALID_PARAM");
          assertThat(status.getJsonObject("error").getString("message")).isEqualTo("chunk 1 does not like its input");
          assertThat(status.getJsonObject("chunks").getInteger("retried")).isZero();
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("shares the workers fairly: a one-chunk job submitted behind a long job finishes first")
  void fairness(VertxTestContext test) {
    JsonObject longJob = new JsonObject().put("task", "primes").put("chunks", 400)
        .put("params", new JsonObject().put("from", 0).put("to", 4_000_000_000L));
    JsonObject shortJob = new JsonObject().put("task", "primes").put("chunks", 1)
        .put("params", new JsonObject().put("from", 0).put("to", 1_000_000));
    http.submitJob(longJob)
        .compose(longId -> http.awaitJson("/api/jobs/" + longId,
                s -> s.getJsonObject("chunks").getInteger("done") >= 4, DEADLINE)
            .compose(running -> http.submitJob(shortJob))
            .compose(shortId -> http.awaitJobFinished(shortId, DEADLINE))
            .compose(shortStatus -> http.get("/api/jobs/" + longId).map(longStatus -> new JsonObject[] {
                shortStatus, longStatus.bodyAsJsonObject()}))
            .compose(both -> http.request(HttpMethod.DELETE, "/api/jobs/" + longId).map(both)))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          assertThat(both[0].getString("state")).isEqualTo("SUCCEEDED");
          assertThat(both[0].getJsonObject("result").getLong("count")).isEqualTo(78_498);
          assertThat(both[1].getString("state")).as("the long job is still running").isEqualTo("RUNNING");
          assertThat(both[1].getJsonObject("chunks").getInteger("done")).isLessThan(400);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("keeps answering /hello while a long job occupies every worker")
  void helloDuringJob(VertxTestContext test) {
    http.submitJob(gatedJob(10, 10))
        .compose(id -> http.awaitJson("/api/node", n -> n.getInteger("busyWorkers") == 2, DEADLINE))
        .compose(busy -> Future.all(http.get("/hello"), http.get("/hello"), http.get("/health")))
        .onComplete(test.succeeding(answers -> test.verify(() -> {
          for (int i = 0; i < 3; i++) {
            assertThat(answers.<HttpResponse<Buffer>>resultAt(i).statusCode()).isEqualTo(200);
          }
          assertThat(BlockingTask.running()).isEqualTo(2);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("answers 503 QUEUE_FULL with Retry-After beyond the running and queued job bounds")
  void jobBounds(VertxTestContext test) {
    // TestNodes: 4 jobs running and 4 queued at most.
    List<Future<String>> accepted = new ArrayList<>();
    Future<String> chain = Future.succeededFuture();
    for (int i = 0; i < 8; i++) {
      chain = chain.compose(previous -> http.submitJob(gatedJob(1, 1)));
      accepted.add(chain);
    }
    chain.compose(last -> http.get("/api/jobs?state=QUEUED"))
        .compose(queued -> {
          test.verify(() -> assertThat(queued.bodyAsJsonObject().getJsonArray("jobs")).hasSize(4));
          return http.postJson("/api/jobs", gatedJob(1, 1));
        })
        .onComplete(test.succeeding(refused -> test.verify(() -> {
          assertThat(refused.statusCode()).isEqualTo(503);
          assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
          assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("QUEUE_FULL");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("rejects invalid jobs with 400 naming the bound, unknown tasks and jobs with 404")
  void invalidJobs(VertxTestContext test) {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 100_001; i++) {
      tooMany.add("p");
    }
    Future.all(List.of(
            http.postJson("/api/jobs", new JsonObject().put("task", "primes").put("chunks", 10_001)),
            http.postJson("/api/jobs", new JsonObject().put("task", "pbkdf2").put("chunks", 2)
                .put("params", new JsonObject().put("password", "x"))),
            http.postJson("/api/jobs", new JsonObject().put("task", "pbkdf2-batch")
                .put("params", new JsonObject().put("passwords", tooMany))),
            http.postJson("/api/jobs", new JsonObject().put("task", "nope")),
            http.postJson("/api/jobs", new JsonObject().put("params", new JsonObject())),
            http.get("/api/jobs/no-such-job"),
            http.get("/api/jobs?state=SLEEPING")))
        .onComplete(test.succeeding(all -> test.verify(() -> {
          expect(all.resultAt(0), 400, "chunks", "chunks must be an integer between 1 and 10000");
          expect(all.resultAt(1), 400, "chunks", "task pbkdf2 cannot be split");
          expect(all.resultAt(2), 400, "passwords", "passwords must hold between 1 and 100000 entries");
          expect(all.resultAt(3), 404, null, "no task named 'nope'");
          expect(all.resultAt(4), 400, "task", "task is required");
          expect(all.resultAt(5), 404, null, "no job no-such-job");
          expect(all.resultAt(6), 400, "state", "state must be one of");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("answers 409 for the result of a job still running, and lists jobs newest first")
  void resultWhileRunning(VertxTestContext test) {
    http.submitJob(gatedJob(2, 2))
        .compose(first -> http.submitJob(gatedJob(2, 2)).compose(second -> http.get("/api/jobs/" + first + "/result")
            .compose(result -> {
              test.verify(() -> {
                assertThat(result.statusCode()).isEqualTo(409);
                assertThat(result.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("NOT_FINISHED");
              });
              return http.get("/api/jobs?limit=2");
            })
            .map(list -> {
              JsonArray jobs = list.bodyAsJsonObject().getJsonArray("jobs");
              test.verify(() -> assertThat(jobs.getJsonObject(0).getString("id")).isEqualTo(second));
              return jobs;
            })))
        .onComplete(test.succeeding(jobs -> test.verify(() -> {
          assertThat(jobs).hasSize(2);
          test.completeNow();
        })));
  }

  private static void expect(HttpResponse<Buffer> response, int status, String field, String message) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("field")).isEqualTo(field);
    assertThat(error.getString("message")).startsWith(message);
  }
}
