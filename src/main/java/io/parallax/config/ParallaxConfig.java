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
                               String allowedOrigin, long sockjsIdleTimeoutMillis, int maxFrameBytes,
                               int maxConnections, int maxInFlight, int maxRegistrations) {

    public boolean tokenRequired() {
      return !token.isEmpty();
    }
  }

  /** How this node joins a cluster; {@code enabled == false} means standalone. */
  public record ClusterSettings(boolean enabled, String name, java.util.List<String> members, String host,
                                String publicHost, int memberPort, int eventBusPort, int publicPort,
                                String configFile) {
  }

  /** The bounds and timings of parallel jobs. */
  public record JobLimits(int maxRunning, int maxQueued, int maxQueuedChunks, long chunkTimeoutMillis,
                          int chunkRetries, long retentionMillis, int maxFinished) {
  }
}
