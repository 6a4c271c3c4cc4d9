package io.parallax.compute;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** A task's result: a JSON object, or bytes with their media type (an image, say). */
public record TaskResult(JsonObject json, Buffer binary, String mediaType) {

  public static final String JSON = "application/json";

  public TaskResult {
    if ((json == null) == (binary == null)) {
      throw new IllegalArgumentException("a result is either JSON or binary");
    }
  }

  public static TaskResult json(JsonObject json) {
    return new TaskResult(json, null, JSON);
  }

  public static TaskResult binary(String mediaType, byte[] bytes) {
    return new TaskResult(null, Buffer.buffer(bytes), mediaType);
  }

  public boolean isBinary() {
    return binary != null;
  }
}
