package io.parallax.http;

import io.parallax.NodeInfo;
import io.parallax.NodeLifecycle;
import io.parallax.bridge.BridgePolicy;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.cluster.Membership;
import io.parallax.compute.TaskRegistry;
import io.parallax.config.ParallaxConfig;
import io.parallax.jobs.JobStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves Parallax's HTTP API. Deployed once per core on one shared port; never does CPU work itself: tasks
 * go to the workers over the event bus.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Set<String> ALWAYS_OPEN = Set.of("/health", "/ready");
  private static final long SHUTDOWN_SECONDS = 5;
  private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  private static final Buffer HELLO = Buffer.buffer("Hello, World!\n");
  private static final int[] ERROR_STATUSES = {400, 401, 403, 404, 405, 413, 415, 500, 503};

  private final ParallaxConfig config;
  private final NodeInfo info;
  private final TaskRegistry registry;
  private final NodeLifecycle lifecycle;
  private final JobStore jobStore;
  private final Membership membership;
  private final BridgePolicy policy;
  private final AtomicInteger sockJsConnections;
  private volatile int actualPort;
  private HttpServer server;

  public HttpVerticle(ParallaxConfig config, NodeInfo info, TaskRegistry registry, NodeLifecycle lifecycle,
                      JobStore jobStore, Membership membership, BridgePolicy policy,
                      AtomicInteger sockJsConnections) {
    this.config = config;
    this.sockJsConnections = sockJsConnections;
    this.policy = policy;
    this.membership = membership;
    this.jobStore = jobStore;
    this.info = info;
    this.registry = registry;
    this.lifecycle = lifecycle;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(sharedPort(config.httpPort())));
    Router router = router();
    return server.requestHandler(request -> {
      // The greeting is the figure we benchmark: answer it before routing, with preallocated bytes, matching
      // the raw URI (no path to parse out of it); "/hello?…" takes the router's route to the same answer.
      if (request.method() == HttpMethod.GET && "/hello".equals(request.uri()) && !lifecycle.isDraining()) {
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN).end(HELLO.copy());
      } else {
        router.handle(request);
      }
    }).listen().onSuccess(listening -> actualPort = listening.actualPort());
  }

  /**
   * Port 0 would give every instance a port of its own; Vert.x shares one random port among the servers that
   * ask for the same negative port, so all instances still serve one port.
   */
  private static int sharedPort(int configured) {
    return configured == 0 ? -1 : configured;
  }

  /** Lets requests already in progress finish before the connections close. */
  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
  }

  public int actualPort() {
    return actualPort;
  }

  private Router router() {
    Router router = Router.router(vertx);
    TaskApi tasks = new TaskApi(vertx, config, info, registry);
    JobApi jobs = new JobApi(vertx, jobStore);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());

    router.route().handler(this::refuseWhileDraining);
    // One policy for every entrance: with a token configured, the API and the bridges require it.
    router.route("/api/tasks*").handler(this::requireToken);
    router.route("/api/jobs*").handler(this::requireToken);
    router.route("/api/eventbus/*").handler(this::requireToken);
    router.get("/hello").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN)
        .end(HELLO.copy()));
    router.get("/health").handler(HealthCheckHandler.create(vertx)
        .register("alive", promise -> promise.complete(Status.OK())));
    router.get("/ready").handler(HealthCheckHandler.create(vertx)
        .register("accepting-work", promise -> promise.complete(lifecycle.isReady()
            ? Status.OK()
            : Status.KO(new JsonObject().put("phase", lifecycle.phase().name()))))
        .register("cluster-member", promise -> promise.complete(membership.healthy()
            ? Status.OK(new JsonObject().put("members", membership.members().size()))
            : Status.KO())));
    router.get("/api/node").handler(tasks::node);
    router.get("/api/tasks").handler(tasks::tasks);
    router.get("/api/cluster").handler(new ClusterApi(vertx, membership)::cluster);
    router.post("/api/tasks/:name").handler(body).handler(tasks::run);
    router.post("/api/jobs").handler(body).handler(jobs::submit);
    router.get("/api/jobs").handler(jobs::list);
    router.get("/api/jobs/:id").handler(jobs::status);
    router.delete("/api/jobs/:id").handler(jobs::cancel);
    router.get("/api/jobs/:id/result").handler(jobs::result);
    router.post("/api/eventbus/:address").handler(body).handler(new EventBusApi(vertx, policy)::send);
    if (config.bridge().sockjs()) {
      SockJsBridge sockJs = new SockJsBridge(vertx, config.bridge(), policy, sockJsConnections);
      router.route("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(config.bridge().maxFrameBytes()))
          .handler(sockJs::refuseOtherOrigins).subRouter(sockJs.router());
    }

    for (int status : ERROR_STATUSES) {
      router.errorHandler(status, ApiResponses::routingFailure);
    }
    return router;
  }

  private void requireToken(RoutingContext ctx) {
    if (policy.authorized(BridgePolicy.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiResponses.error(ctx, Failure.of(ErrorCode.UNAUTHORIZED, "a valid token is required"));
    }
  }

  private void refuseWhileDraining(RoutingContext ctx) {
    if (lifecycle.isDraining() && !ALWAYS_OPEN.contains(ctx.request().path())) {
      ApiResponses.error(ctx, Failure.of(ErrorCode.DRAINING, "node is shutting down"));
    } else {
      ctx.next();
    }
  }
}
