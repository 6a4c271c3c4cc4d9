package io.parallax.http;

import io.parallax.bus.Addresses;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;
import io.parallax.jobs.JobState;
import io.parallax.jobs.JobStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** {@code /api/jobs}: submit and cancel through the event bus; read statuses and results from the job store. */
final class JobApi {

  private static final int DEFAULT_LIST_LIMIT = 50;
  private static final int MAX_LIST_LIMIT = 1_000;

  private final Vertx vertx;
  private final JobStore store;

  JobApi(Vertx vertx, JobStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  void submit(RoutingContext ctx) {
    JsonObject spec = TaskApi.jsonBody(ctx);
    // The node that accepts a job over HTTP coordinates it; its workers and every other node's pull chunks.
    vertx.eventBus().<JsonObject>request(Addresses.JOBS_SUBMIT, spec, new DeliveryOptions().setLocalOnly(true))
        .onSuccess(accepted -> {
          ctx.response().putHeader(HttpHeaders.LOCATION, "/api/jobs/" + accepted.body().getString("id"));
          ApiResponses.json(ctx, 202, accepted.body());
        })
        .onFailure(failure -> ApiResponses.error(ctx, Failure.from(failure)));
  }

  void status(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.status(id)
        .onSuccess(status -> {
          if (status == null) {
            ApiResponses.error(ctx, noSuchJob(id));
          } else {
            ApiResponses.json(ctx, 200, status);
          }
        })
        .onFailure(ctx::fail);
  }

  void result(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.status(id)
        .compose(status -> {
          if (status == null) {
            throw new FailureException(noSuchJob(id));
          }
          JobState state = JobState.valueOf(status.getString("state"));
          if (!state.isFinished()) {
            throw new FailureException(Failure.of(ErrorCode.NOT_FINISHED, "job " + id + " is " + state
                + "; its result is not ready"));
          }
          if (state != JobState.SUCCEEDED) {
            throw new FailureException(Failure.of(ErrorCode.NO_RESULT, "job " + id + " ended " + state
                + " and has no result"));
          }
          return store.result(id);
        })
        .onSuccess(result -> {
          if (result == null) {
            ApiResponses.error(ctx, noSuchJob(id));
          } else if (result.isBinary()) {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, result.mediaType()).end(result.binary());
          } else {
            ApiResponses.json(ctx, 200, result.json());
          }
        })
        .onFailure(failure -> ApiResponses.error(ctx, Failure.from(failure)));
  }

  /** Cancelling is the job's coordinator's business: ask the node that owns it. */
  void cancel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.status(id)
        .compose(status -> {
          if (status == null) {
            throw new FailureException(noSuchJob(id));
          }
          if (JobState.valueOf(status.getString("state")).isFinished()) {
            return io.vertx.core.Future.succeededFuture(status);
          }
          return vertx.eventBus().<JsonObject>request(Addresses.jobsCancel(status.getString("coordinator")),
              new JsonObject().put("id", id)).map(reply -> reply.body());
        })
        .onSuccess(status -> ApiResponses.json(ctx, 200, status))
        .onFailure(failure -> ApiResponses.error(ctx, Failure.from(failure)));
  }

  void list(RoutingContext ctx) {
    JobState state = stateFilter(ctx.queryParams().get("state"));
    int limit = limit(ctx.queryParams().get("limit"));
    store.list(state, limit)
        .onSuccess(jobs -> ApiResponses.json(ctx, 200, new JsonObject().put("jobs", new JsonArray(jobs))))
        .onFailure(ctx::fail);
  }

  private static JobState stateFilter(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return JobState.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new FailureException(Failure.invalidParam("state",
          "state must be one of QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED"));
    }
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIST_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIST_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new FailureException(Failure.invalidParam("limit", "limit must be between 1 and " + MAX_LIST_LIMIT));
  }

  private static Failure noSuchJob(String id) {
    return Failure.of(ErrorCode.NOT_FOUND, "no job " + id);
  }
}
