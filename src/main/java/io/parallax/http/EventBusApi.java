package io.parallax.http;

import io.parallax.bridge.BridgePolicy;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.parallax.bus.Timeouts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/eventbus/<address>}: an event-bus message from plain HTTP, under the same policy as the
 * bridges. Request-reply answers the reply's body; {@code ?publish=true} publishes and answers 202.
 */
final class EventBusApi {

  private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  private static final long MAX_TIMEOUT_MILLIS = 300_000;

  private final Vertx vertx;
  private final BridgePolicy policy;

  EventBusApi(Vertx vertx, BridgePolicy policy) {
    this.vertx = vertx;
    this.policy = policy;
  }

  void send(RoutingContext ctx) {
    String address = ctx.pathParam("address");
    if (!policy.permitsInbound(address)) {
      throw new FailureException(Failure.of(ErrorCode.ACCESS_DENIED, "access_denied: " + address
          + " is not open to clients"));
    }
    JsonObject body = TaskApi.jsonBody(ctx);
    if ("true".equals(ctx.queryParams().get("publish"))) {
      vertx.eventBus().publish(address, body);
      ApiResponses.json(ctx, 202, new JsonObject().put("published", address));
      return;
    }
    long timeout = Timeouts.parse(ctx.queryParams().get("timeout"), DEFAULT_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout + 1_000)
        .addHeader("timeout", Long.toString(timeout));
    vertx.eventBus().request(address, body, options)
        .onSuccess(reply -> {
          if (reply.body() instanceof Buffer bytes) {
            String type = reply.headers().get("content-type");
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/octet-stream" : type)
                .end(bytes);
          } else {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(io.vertx.core.json.Json.encode(reply.body()));
          }
        })
        .onFailure(failure -> ApiResponses.error(ctx, Failure.from(failure)));
  }

}
