package io.parallax.support;

import io.parallax.ParallaxNode;
import io.parallax.compute.TaskRegistry;
import io.parallax.config.ParallaxConfig;
import java.util.concurrent.TimeUnit;

/** Starts real nodes on loopback, port 0, for tests. */
public final class TestNodes {

  private TestNodes() {
  }

  /** Two HTTP instances, two workers, a queue of eight tasks, four running and four queued jobs: small enough to fill in a test. */
  public static ParallaxConfig config() {
    return new ParallaxConfig("127.0.0.1", 0, 2, 1024 * 1024, 2, 8, 30_000, 300_000, jobLimits(),
        ParallaxConfig.ClusterSettings.standalone(), ParallaxConfig.BridgeSettings.defaults(), 10_000);
  }

  public static ParallaxConfig.JobLimits jobLimits() {
    return new ParallaxConfig.JobLimits(4, 4, 20_000, 30_000, 2, 600_000, 1_000);
  }

  public static ParallaxNode start(ParallaxConfig config) {
    try {
      return ParallaxNode.start(config, TaskRegistry.load()).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node did not start", e);
    }
  }

  public static void stop(ParallaxNode node) {
    if (node != null) {
      try {
        node.stop().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("node did not stop", e);
      }
    }
  }
}
