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
    long shutdownGraceMillis) {

  /** The bounds and timings of parallel jobs. */
  public record JobLimits(int maxRunning, int maxQueued, int maxQueuedChunks, long chunkTimeoutMillis,
                          int chunkRetries, long retentionMillis, int maxFinished) {
  }

  public ParallaxConfig withHttpPort(int port) {
    return new ParallaxConfig(httpHost, port, httpInstances, maxBodyBytes, workers, maxQueued, taskTimeoutMillis,
        maxTaskTimeoutMillis, jobs, shutdownGraceMillis);
  }
}
