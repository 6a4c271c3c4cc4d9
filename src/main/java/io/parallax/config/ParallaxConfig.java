package io.parallax.config;

/**
 * The node's configuration, parsed and checked once at start by {@link ConfigLoader}. "auto" values are
 * already resolved against the machine.
 */
public record ParallaxConfig(
    String httpHost,
    int httpPort,
    int httpInstances,
    long maxBodyBytes,
    int workers,
    int maxQueued,
    long taskTimeoutMillis,
    long maxTaskTimeoutMillis,
    JobLimits jobs,
    ClusterSettings cluster,
    BridgeSettings bridge,
    long shutdownGraceMillis) {

  /**
   * The event-bus entrances and their one permission policy. Permissions are {@code {"address"}} or
   * {@code {"addressRegex"}} objects.
   */
  public record BridgeSettings(io.vertx.core.json.JsonArray inbound, io.vertx.core.json.JsonArray outbound,
                               String token, boolean tcp, String host, int port, boolean sockjs,
                               String allowedOrigin, int maxFrameBytes, int maxConnections, int maxInFlight,
                               int maxRegistrations) {

    public static BridgeSettings defaults() {
      return new BridgeSettings(
          new io.vertx.core.json.JsonArray()
              .add(new io.vertx.core.json.JsonObject().put("addressRegex", "parallax\\.task\\.[a-z0-9-]+"))
              .add(new io.vertx.core.json.JsonObject().put("address", "parallax.jobs.submit"))
              .add(new io.vertx.core.json.JsonObject().put("address", "parallax.jobs.status")),
          new io.vertx.core.json.JsonArray()
              .add(new io.vertx.core.json.JsonObject().put("addressRegex", "parallax\\.jobs\\.[0-9a-f-]{36}")),
          "", true, "127.0.0.1", 0, true, "", 1024 * 1024, 1000, 64, 64);
    }

    public boolean tokenRequired() {
      return !token.isEmpty();
    }
  }

  /** How this node joins a cluster; {@code enabled == false} means standalone. */
  public record ClusterSettings(boolean enabled, String name, java.util.List<String> members, String host,
                                String publicHost, int memberPort, int eventBusPort, int publicPort,
                                String configFile) {

    public static ClusterSettings standalone() {
      return new ClusterSettings(false, "parallax", java.util.List.of("127.0.0.1"), "127.0.0.1", "", 5701, 0, 0, "");
    }
  }

  /** The bounds and timings of parallel jobs. */
  public record JobLimits(int maxRunning, int maxQueued, int maxQueuedChunks, long chunkTimeoutMillis,
                          int chunkRetries, long retentionMillis, int maxFinished) {
  }
}
