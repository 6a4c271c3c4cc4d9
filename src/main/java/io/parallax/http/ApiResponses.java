package io.parallax.http;

import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON bodies and the one error shape; the only place an HTTP error response is produced. */
final class ApiResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);
  private static final String JSON = "application/json";

  private ApiResponses() {
  }

  static void json(RoutingContext ctx, int status, Object body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(body instanceof JsonObject object ? object.encode() : io.vertx.core.json.Json.encode(body));
  }

  static void error(RoutingContext ctx, Failure failure) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    int retryAfter = failure.code().retryAfterSeconds();
    if (retryAfter > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfter));
    }
    if (failure.code() == ErrorCode.METHOD_NOT_ALLOWED) {
      String allow = response.headers().get(HttpHeaders.ALLOW);
      if (allow == null) {
        response.putHeader(HttpHeaders.ALLOW, "GET, POST");
      }
    }
    json(ctx, failure.code().httpStatus(), failure.toJson());
  }

  /** The router's error handler: turns whatever failed a route into the one error shape, never a stack trace. */
  static void routingFailure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    if (cause instanceof FailureException failureException) {
      error(ctx, failureException.failure());
      return;
    }
    String route = ctx.request().method() + " " + ctx.request().path();
    Failure failure = switch (ctx.statusCode()) {
      case 404 -> Failure.of(ErrorCode.NOT_FOUND, "no such resource: " + route);
      case 405 -> Failure.of(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: " + route);
      case 413 -> Failure.of(ErrorCode.BODY_TOO_LARGE, "request body exceeds the limit");
      case 415 -> Failure.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "request body must be application/json");
      case 400 -> Failure.of(ErrorCode.INVALID_PARAM, "bad request");
      case 403 -> Failure.of(ErrorCode.ACCESS_DENIED, "access_denied");
      default -> null;
    };
    if (failure == null) {
      LOG.error("Unexpected failure on {}", route, cause);
      failure = Failure.of(ErrorCode.INTERNAL, "internal error");
    }
    error(ctx, failure);
  }
}
