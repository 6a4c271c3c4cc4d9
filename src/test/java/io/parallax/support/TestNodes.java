package io.parallax.support;

import io.parallax.ParallaxNode;
import io.parallax.compute.TaskRegistry;
import io.parallax.config.ConfigLoader;
import io.parallax.config.ParallaxConfig;
import io.parallax.config.Setting;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts real nodes on loopback, port 0, for tests. */
public final class TestNodes {

  private TestNodes() {
  }

  /**
   * The shipped defaults, made small enough to fill in a test: loopback on free ports, two HTTP instances,
   * two workers, eight tasks queued or running, four jobs running and four queued, 30 s chunk timeout.
   */
  public static ParallaxConfig config() {
    return config(Map.of());
  }

  /** As {@link #config()}, with some settings changed as flags would change them. */
  public static ParallaxConfig config(Map<Setting, String> overrides) {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.put(Setting.HTTP_HOST, "127.0.0.1");
    flags.put(Setting.HTTP_PORT, "0");
    flags.put(Setting.HTTP_INSTANCES, "2");
    flags.put(Setting.WORKERS, "2");
    flags.put(Setting.MAX_QUEUED, "8");
    flags.put(Setting.JOBS_MAX_RUNNING, "4");
    flags.put(Setting.JOBS_MAX_QUEUED, "4");
    flags.put(Setting.JOBS_MAX_QUEUED_CHUNKS, "20000");
    flags.put(Setting.JOBS_CHUNK_TIMEOUT_MS, "30000");
    flags.put(Setting.BRIDGE_PORT, "0");
    flags.putAll(overrides);
    // No environment and no config file: only the built-in defaults and these flags.
    return new ConfigLoader(name -> null, 2).load(null, flags);
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
