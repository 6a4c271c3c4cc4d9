package io.parallax;

import io.parallax.config.ParallaxConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The fixed facts about a running node, shared by the verticles that report them. */
public record NodeInfo(String nodeId, String version, int cores, int httpInstances, int workers, boolean clustered) {

  public static NodeInfo of(String nodeId, ParallaxConfig config, boolean clustered) {
    return new NodeInfo(nodeId, buildVersion(), Runtime.getRuntime().availableProcessors(), config.httpInstances(),
        config.workers(), clustered);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("version", version)
        .put("cores", cores)
        .put("httpInstances", httpInstances)
        .put("workers", workers)
        .put("clustered", clustered);
  }

  /** The version Maven wrote into the jar at build time. */
  public static String buildVersion() {
    try (InputStream in = NodeInfo.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
