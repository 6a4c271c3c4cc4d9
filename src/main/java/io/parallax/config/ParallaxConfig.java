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
    long shutdownGraceMillis) {

  public ParallaxConfig withHttpPort(int port) {
    return new ParallaxConfig(httpHost, port, httpInstances, maxBodyBytes, workers, maxQueued, taskTimeoutMillis,
        maxTaskTimeoutMillis, shutdownGraceMillis);
  }
}
