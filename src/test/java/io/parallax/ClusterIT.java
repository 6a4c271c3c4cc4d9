package io.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.support.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A cluster of three fat-jar nodes on loopback")
class ClusterIT {

  private static final Duration FORMING = Duration.ofSeconds(90);
  private static final Duration JOB = Duration.ofSeconds(180);
  /** pi(10^10) = 455,052,511: long enough to lose a node in the middle of it. */
  private static final JsonObject BIG_JOB = new JsonObject().put("task", "primes").put("chunks", 200)
      .put("params", new JsonObject().put("from", 0).put("to", 10_000_000_000L));
  private static final long PI_10_10 = 455_052_511L;
  private static final JsonObject SMALL_JOB = new JsonObject().put("task", "primes").put("chunks", 4)
      .put("params", new JsonObject().put("from", 0).put("to", 1_000_000));
  /** Finished jobs are kept this long (and evicted up to 5 s later): long enough for the checks after a job. */
  private static final String RETENTION_MILLIS = "20000";

  @TempDir
  java.nio.file.Path workDir;

  private final List<NodeProcess> nodes = new ArrayList<>();
  private String cluster;
  private String members;

  @BeforeEach
  void startThreeNodes() throws Exception {
    cluster = "it-" + UUID.randomUUID();
    int[] memberPorts = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
    members = "127.0.0.1:" + memberPorts[0] + ",127.0.0.1:" + memberPorts[1] + ",127.0.0.1:" + memberPorts[2];
    for (int i = 0; i < 3; i++) {
      nodes.add(NodeProcess.start(workDir, "node" + i, List.of("--cluster", "--cluster-name", cluster,
          "--cluster-members", members, "--cluster-member-port", Integer.toString(memberPorts[i]),
          "--workers", "2", "--instances", "1", "--jobs-retention", RETENTION_MILLIS)));
    }
    for (NodeProcess node : nodes) {
      try {
        NodeProcess.await("a cluster of 3 seen from port " + node.httpPort(), FORMING, () -> members(node) == 3);
      } catch (AssertionError notFormed) {
        throw new AssertionError(notFormed.getMessage() + describe(nodes), notFormed);
      }
    }
  }

  /** Whether each node still runs, and the end of its log: what a cluster that did not form leaves behind. */
  private static String describe(List<NodeProcess> nodes) throws IOException {
    StringBuilder text = new StringBuilder();
    for (NodeProcess node : nodes) {
      String log = node.log();
      text.append("\n--- node on port ").append(node.httpPort()).append(node.isAlive() ? " (running)" : " (exited)")
          .append(":\n").append(log.substring(Math.max(0, log.length() - 2_000)));
    }
    return text.toString();
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  @DisplayName("spreads a job over every node, and every node reports the same job")
  void jobSpreadsOverEveryNode() throws Exception {
    String id = submit(nodes.get(0), BIG_JOB);
    JsonObject status = awaitSucceeded(nodes.get(1), id, PI_10_10);
    JsonObject shares = status.getJsonObject("workers");
    assertThat(shares.fieldNames()).as("chunks computed per node").hasSize(3);
    shares.forEach(share -> assertThat(((Number) share.getValue()).intValue()).as(share.getKey()).isPositive());
    for (NodeProcess node : nodes) {
      NodeProcess.await("the finished job seen from port " + node.httpPort(), Duration.ofSeconds(10),
          () -> status.equals(get(node, "/api/jobs/" + id)));
    }
  }

  @Test
  @DisplayName("finishes a job with the exact result when a worker node is killed mid-job")
  void survivesKilledWorkerNode() throws Exception {
    String id = submit(nodes.get(0), BIG_JOB);
    awaitProgress(nodes.get(0), id, 20);
    nodes.get(1).kill9();
    awaitSucceeded(nodes.get(0), id, PI_10_10);
    NodeProcess.await("the cluster shrinks to 2", FORMING, () -> members(nodes.get(2)) == 2);
  }

  @Test
  @DisplayName("lets a survivor take over and finish a job when the node that accepted it is killed")
  void survivesKilledCoordinator() throws Exception {
    String id = submit(nodes.get(0), BIG_JOB);
    awaitProgress(nodes.get(1), id, 20);
    nodes.get(0).kill9();
    JsonObject status = awaitSucceeded(nodes.get(2), id, PI_10_10);
    assertThat(status.getString("coordinator")).isIn(nodeId(nodes.get(1)), nodeId(nodes.get(2)));
    assertThat(get(nodes.get(1), "/api/jobs/" + id).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  @DisplayName("leaves cleanly on SIGTERM: exit 0, the others carry on and finish the job")
  void gracefulLeave() throws Exception {
    String id = submit(nodes.get(0), BIG_JOB);
    awaitProgress(nodes.get(0), id, 10);
    NodeProcess leaving = nodes.get(2);
    leaving.sigterm();
    assertThat(leaving.awaitExit(Duration.ofSeconds(60))).isZero();
    NodeProcess.await("the cluster shrinks to 2", FORMING, () -> members(nodes.get(0)) == 2);
    awaitSucceeded(nodes.get(1), id, PI_10_10);
    assertThat(leaving.log()).contains("stopped").doesNotContain("Exception");
  }

  @Test
  @DisplayName("evicts in time the finished jobs of a node that died: a survivor takes them over")
  void evictsFinishedJobsOfDeadCoordinator() throws Exception {
    String id = submit(nodes.get(0), SMALL_JOB);
    awaitSucceeded(nodes.get(1), id, 78_498);
    nodes.get(0).kill9();
    NodeProcess.await("the finished job evicted after its retention", FORMING,
        () -> status(nodes.get(1), "/api/jobs/" + id) == 404);
    assertThat(status(nodes.get(2), "/api/jobs/" + id)).isEqualTo(404);
  }

  @Test
  @DisplayName("keeps out a node of another cluster name, which runs alone and says why in one line")
  void anotherClusterNameStaysOut() throws Exception {
    NodeProcess stranger = NodeProcess.start(workDir, "stranger", List.of("--cluster", "--cluster-name",
        cluster + "-other", "--cluster-members", members, "--cluster-member-port",
        Integer.toString(NodeProcess.freePort()), "--workers", "1", "--instances", "1"));
    nodes.add(stranger);
    NodeProcess.await("the stranger ready", FORMING, () -> status(stranger, "/ready") == 200);
    NodeProcess.await("the stranger's warning", FORMING, () -> logOf(stranger).contains("different cluster-name"));
    assertThat(members(stranger)).isEqualTo(1);
    for (NodeProcess node : nodes.subList(0, 3)) {
      assertThat(members(node)).isEqualTo(3);
    }
    assertThat(logOf(stranger)).contains("not joined: 127.0.0.1:").doesNotContain("\tat ");
  }

  private static String logOf(NodeProcess node) {
    try {
      return node.log();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String submit(NodeProcess node, JsonObject job) throws Exception {
    var response = node.postJson("/api/jobs", job);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("id");
  }

  private static void awaitProgress(NodeProcess node, String id, int chunksDone) throws InterruptedException {
    NodeProcess.await(chunksDone + " chunks done", JOB,
        () -> get(node, "/api/jobs/" + id).getJsonObject("chunks").getInteger("done") >= chunksDone);
  }

  /** Awaits the job's end, seen from {@code node}, and checks that it succeeded with {@code count} primes. */
  private static JsonObject awaitSucceeded(NodeProcess node, String id, long count) throws InterruptedException {
    JsonObject status = awaitFinished(node, id);
    assertThat(status.getString("state")).as(status.encode()).isEqualTo("SUCCEEDED");
    assertThat(status.getJsonObject("result").getLong("count")).isEqualTo(count);
    return status;
  }

  private static JsonObject awaitFinished(NodeProcess node, String id) throws InterruptedException {
    JsonObject[] last = new JsonObject[1];
    NodeProcess.await("job " + id + " to finish", JOB, () -> {
      last[0] = get(node, "/api/jobs/" + id);
      return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].getString("state"));
    });
    return last[0];
  }

  private static int status(NodeProcess node, String path) {
    try {
      return node.get(path).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int members(NodeProcess node) {
    return get(node, "/api/cluster").getJsonArray("members").size();
  }

  private static String nodeId(NodeProcess node) {
    return get(node, "/api/node").getString("nodeId");
  }

  private static JsonObject get(NodeProcess node, String path) {
    try {
      return node.getJson(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
