package io.parallax.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.function.Predicate;

/** A real HTTP client for a node on loopback, with the few request shapes the tests use. */
public final class Http {

  private final Vertx vertx;
  private final WebClient client;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(64));
  }

  public int port() {
    return port;
  }

  public Future<HttpResponse<Buffer>> get(String path) {
    return client.get(path).send();
  }

  public Future<HttpResponse<Buffer>> postJson(String path, JsonObject body) {
    return client.post(path).sendJsonObject(body);
  }

  public Future<HttpResponse<Buffer>> post(String path, String contentType, String body) {
    var request = client.post(path);
    if (contentType != null) {
      request.putHeader("content-type", contentType);
    }
    return body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
  }

  public Future<HttpResponse<Buffer>> request(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, path).send();
  }

  /** Polls {@code GET path} until its JSON body satisfies the condition, or fails after the deadline. */
  public Future<JsonObject> awaitJson(String path, Predicate<JsonObject> condition, Duration deadline) {
    long giveUpAt = System.nanoTime() + deadline.toNanos();
    return poll(path, condition, giveUpAt);
  }

  private Future<JsonObject> poll(String path, Predicate<JsonObject> condition, long giveUpAt) {
    return get(path).compose(response -> {
      JsonObject body = response.bodyAsJsonObject();
      if (body != null && condition.test(body)) {
        return Future.succeededFuture(body);
      }
      if (System.nanoTime() - giveUpAt > 0) {
        return Future.failedFuture(new AssertionError("condition on " + path + " never held; last: " + body));
      }
      return vertx.timer(20).compose(tick -> poll(path, condition, giveUpAt));
    });
  }

  /** Submits a job and answers its id, failing unless the node answered 202. */
  public Future<String> submitJob(JsonObject spec) {
    return postJson("/api/jobs", spec).compose(response -> response.statusCode() == 202
        ? Future.succeededFuture(response.bodyAsJsonObject().getString("id"))
        : Future.failedFuture(new AssertionError("job refused: " + response.statusCode() + " " + response.bodyAsString())));
  }

  /** Polls a job until it is finished (SUCCEEDED, FAILED or CANCELLED) and answers its status. */
  public Future<JsonObject> awaitJobFinished(String id, Duration deadline) {
    return awaitJson("/api/jobs/" + id, status -> switch (status.getString("state", "")) {
      case "SUCCEEDED", "FAILED", "CANCELLED" -> true;
      default -> false;
    }, deadline);
  }

  public void close() {
    client.close();
  }
}
