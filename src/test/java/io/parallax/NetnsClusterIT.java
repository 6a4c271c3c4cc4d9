package io.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallax.support.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, each in a network namespace of its own with its own address (veth pairs on a bridge,
 * 198.18.0.0/15, no NAT), exactly as on separate hosts. Needs root and iproute2; skipped, saying why,
 * where network namespaces cannot be made.
 */
@DisplayName("A cluster across three hosts (network namespaces)")
class NetnsClusterIT {

  private static final Duration FORMING = Duration.ofSeconds(120);
  private static final JsonObject BIG_JOB = new JsonObject().put("task", "primes").put("chunks", 200)
      .put("params", new JsonObject().put("from", 0).put("to", 10_000_000_000L));

  @TempDir
  java.nio.file.Path workDir;

  private final String tag = Integer.toHexString(new Random().nextInt(0x10000) | 0x10000).substring(1);
  private final int subnet = 1 + new Random().nextInt(250);
  private final String bridge = "pxb" + tag;
  private final List<String> namespaces = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    for (String namespace : namespaces) {
      run("ip", "netns", "del", namespace);
    }
    run("ip", "link", "del", bridge);
  }

  @Test
  @DisplayName("forms over the hosts' addresses, spreads a job, finishes it when a host is cut off, and takes the host back")
  void clusterAcrossHosts() throws Exception {
    buildNetwork();
    String cluster = "netns-" + UUID.randomUUID();
    String members = String.join(",", List.of(address(1) + ":5701", address(2) + ":5701", address(3) + ":5701"));
    for (int i = 1; i <= 3; i++) {
      nodes.add(NodeProcess.start(workDir, "host" + i, List.of("ip", "netns", "exec", namespace(i)), address(i), 8080,
          List.of("--cluster", "--cluster-name", cluster, "--cluster-members", members,
              "--cluster-host", address(i), "--workers", "2", "--instances", "1")));
    }
    for (NodeProcess node : nodes) {
      NodeProcess.await("a cluster of 3", FORMING, () -> members(node) == 3);
    }
    JsonObject cluster1 = nodes.get(0).getJson("/api/cluster");
    assertThat(cluster1.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("host")))
        .containsExactlyInAnyOrder(address(1), address(2), address(3));

    String id = new JsonObject(nodes.get(0).postJson("/api/jobs", BIG_JOB).body()).getString("id");
    NodeProcess.await("every host computing", FORMING,
        () -> status(nodes.get(0), id).getJsonObject("workers").size() == 3);
    run("ip", "link", "set", veth(3), "down");

    NodeProcess.await("the job to finish without host 3", FORMING,
        () -> "SUCCEEDED".equals(status(nodes.get(0), id).getString("state")));
    JsonObject finished = status(nodes.get(1), id);
    assertThat(finished.getJsonObject("result").getLong("count")).isEqualTo(455_052_511L);
    assertThat(finished.getJsonObject("workers").fieldNames()).hasSize(3);
    assertThat(members(nodes.get(0))).isEqualTo(2);

    run("ip", "link", "set", veth(3), "up");
    NodeProcess.await("host 3 to rejoin", FORMING, () -> members(nodes.get(0)) == 3 && members(nodes.get(2)) == 3);
  }

  private void buildNetwork() throws Exception {
    Assumptions.assumeTrue(run("ip", "netns", "add", namespace(1)) == 0,
        "network namespaces cannot be made here (needs root and iproute2): test skipped");
    namespaces.add(namespace(1));
    must("ip", "link", "add", bridge, "type", "bridge");
    must("ip", "addr", "add", "198.18." + subnet + ".254/24", "dev", bridge);
    must("ip", "link", "set", bridge, "up");
    for (int i = 1; i <= 3; i++) {
      if (i > 1) {
        must("ip", "netns", "add", namespace(i));
        namespaces.add(namespace(i));
      }
      must("ip", "link", "add", veth(i), "type", "veth", "peer", "name", "eth0", "netns", namespace(i));
      must("ip", "link", "set", veth(i), "master", bridge);
      must("ip", "link", "set", veth(i), "up");
      must("ip", "netns", "exec", namespace(i), "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
      must("ip", "netns", "exec", namespace(i), "ip", "link", "set", "eth0", "up");
      must("ip", "netns", "exec", namespace(i), "ip", "link", "set", "lo", "up");
    }
  }

  private String namespace(int i) {
    return "px" + tag + "n" + i;
  }

  private String veth(int i) {
    return "pxv" + tag + i;
  }

  private String address(int i) {
    return "198.18." + subnet + "." + i;
  }

  private static int members(NodeProcess node) {
    return status(node, null).getJsonArray("members").size();
  }

  private static JsonObject status(NodeProcess node, String jobId) {
    try {
      return node.getJson(jobId == null ? "/api/cluster" : "/api/jobs/" + jobId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void must(String... command) throws Exception {
    if (run(command) != 0) {
      throw new AssertionError("failed: " + String.join(" ", command));
    }
  }

  private static int run(String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      return -1;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    if (process.exitValue() != 0 && !output.isBlank()) {
      System.err.println(String.join(" ", command) + ": " + output.strip());
    }
    return process.exitValue();
  }
}
