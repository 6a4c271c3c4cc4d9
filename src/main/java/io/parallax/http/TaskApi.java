package io.parallax.http;

import io.parallax.NodeInfo;
import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.parallax.bus.Timeouts;
import io.parallax.compute.TaskRegistry;
import io.parallax.config.ParallaxConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/node}, {@code /api/tasks} and {@code POST /api/tasks/{name}}: tasks run through the event bus. */
final class TaskApi {

  /** How much longer than the task's own timeout the HTTP side waits, so the task's 504 arrives first. */
  private static final long REPLY_GRACE_MILLIS = 10_000;

  private final Vertx vertx;
  private final ParallaxConfig config;
  private final NodeInfo info;
  private final TaskRegistry registry;

  TaskApi(Vertx vertx, ParallaxConfig config, NodeInfo info, TaskRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.info = info;
    this.registry = registry;
  }

  void node(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.SCHEDULER_STATUS, null, new DeliveryOptions().setLocalOnly(true))
        .onSuccess(status -> ApiResponses.json(ctx, 200, info.toJson()
            .put("busyWorkers", status.body().getInteger("busyWorkers"))
            .put("queued", status.body().getInteger("queued"))
            .put("runningChunks", status.body().getInteger("runningChunks"))))
        .onFailure(ctx::fail);
  }

  void tasks(RoutingContext ctx) {
    ApiResponses.json(ctx, 200, new JsonObject().put("tasks", registry.describe()));
  }

  void run(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (registry.find(name).isEmpty()) {
      throw new FailureException(Failure.of(ErrorCode.UNKNOWN_TASK, "no task named '" + name + "'"));
    }
    JsonObject params = jsonBody(ctx);
    long timeout = Timeouts.parse(ctx.queryParams().get("timeout"), config.taskTimeoutMillis(),
        config.maxTaskTimeoutMillis());
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeout + REPLY_GRACE_MILLIS)
        .addHeader(Addresses.HEADER_TIMEOUT, Long.toString(timeout));
    vertx.eventBus().request(Addresses.task(name), params, options)
        .onSuccess(reply -> writeResult(ctx, reply))
        .onFailure(failure -> ApiResponses.error(ctx, Failure.from(failure)));
  }

  private void writeResult(RoutingContext ctx, Message<Object> reply) {
    if (reply.body() instanceof Buffer bytes) {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, reply.headers().get(Addresses.HEADER_CONTENT_TYPE))
          .putHeader("X-Parallax-Task", reply.headers().get(Addresses.HEADER_TASK))
          .putHeader("X-Parallax-Node", reply.headers().get(Addresses.HEADER_NODE))
          .putHeader("X-Parallax-Millis", reply.headers().get(Addresses.HEADER_MILLIS))
          .end(bytes);
    } else {
      ApiResponses.json(ctx, 200, reply.body());
    }
  }

  /** The request body as a JSON object; an empty body means no parameters. */
  static JsonObject jsonBody(RoutingContext ctx) {
    RequestBody body = ctx.body();
    if (body == null || body.buffer() == null || body.buffer().length() == 0) {
      return new JsonObject();
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new FailureException(Failure.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "request body must be application/json, not " + (contentType == null ? "untyped" : contentType)));
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(body.buffer());
      if (parsed instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException malformed) {
      throw new FailureException(Failure.of(ErrorCode.MALFORMED_JSON, "request body is not valid JSON"));
    }
    throw new FailureException(Failure.of(ErrorCode.MALFORMED_JSON, "request body must be a JSON object"));
  }
}
