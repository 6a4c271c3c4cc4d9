package io.parallax;

import io.parallax.bridge.BridgePolicy;
import io.parallax.bridge.TcpBridgeVerticle;
import io.parallax.bus.Addresses;
import io.parallax.cluster.HazelcastCluster;
import io.parallax.cluster.Membership;
import io.parallax.cluster.NodeDirectory;
import io.parallax.compute.CancelledJobs;
import io.parallax.compute.ComputeWorker;
import io.parallax.compute.TaskRegistry;
import io.parallax.compute.WorkScheduler;
import io.parallax.jobs.JobCoordinator;
import io.parallax.jobs.JobStore;
import io.parallax.jobs.SharedDataJobStore;
import io.parallax.config.ParallaxConfig;
import io.parallax.http.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a node together: builds Vert.x, deploys the dispatcher, the workers and the HTTP verticles, and owns
 * the orderly shutdown. The same wiring serves the command line and the tests.
 */
public final class ParallaxNode {

  private static final Logger LOG = LoggerFactory.getLogger(ParallaxNode.class);

  /** The worker pool that runs compute tasks; sized to the workers setting. */
  public static final String COMPUTE_POOL = "parallax-compute";

  private final ParallaxConfig config;
  private final TaskRegistry registry;
  private final NodeLifecycle lifecycle = new NodeLifecycle();
  private final CancelledJobs cancelledJobs = new CancelledJobs();
  private final JobStore jobStore;
  private final Membership membership;
  private final BridgePolicy policy;
  private final AtomicInteger sockJsConnections = new AtomicInteger();
  private volatile TcpBridgeVerticle tcpBridge;
  private final Vertx vertx;
  private final NodeInfo info;
  private final List<HttpVerticle> httpVerticles = new CopyOnWriteArrayList<>();
  private CompletableFuture<Void> stopping;

  private ParallaxNode(ParallaxConfig config, TaskRegistry registry, Vertx vertx, Membership membership) {
    this.config = config;
    this.registry = registry;
    this.vertx = vertx;
    this.membership = membership;
    this.info = NodeInfo.of(membership.self(), config, membership.clustered());
    this.jobStore = new SharedDataJobStore(vertx);
    this.policy = BridgePolicy.of(config.bridge());
  }

  /**
   * Starts a node, standalone or clustered as the config says. Fails if Vert.x cannot be built (the cluster
   * port is taken, say) or any verticle fails to deploy, after closing what it had started.
   */
  public static CompletableFuture<ParallaxNode> start(ParallaxConfig config, TaskRegistry registry) {
    VertxOptions options = vertxOptions(config);
    HazelcastCluster cluster = config.cluster().enabled() ? new HazelcastCluster(config.cluster()) : null;
    Future<Vertx> built;
    if (cluster == null) {
      built = Future.succeededFuture(Vertx.builder().with(options).build());
    } else {
      LOG.info("Joining cluster '{}' from {}:{} through {}", config.cluster().name(), config.cluster().host(),
          config.cluster().memberPort(), String.join(", ", config.cluster().members()));
      built = Vertx.builder().with(options.setEventBusOptions(cluster.eventBusOptions()))
          .withClusterManager(cluster.manager()).buildClustered();
    }
    CompletableFuture<ParallaxNode> started = new CompletableFuture<>();
    built.onComplete(vertx -> {
      if (vertx.failed()) {
        started.completeExceptionally(vertx.cause());
        return;
      }
      if (!vertx.result().isNativeTransportEnabled()) {
        LOG.info("Network transport: Java NIO ({})", vertx.result().unavailableNativeTransportCause().toString());
      }
      Membership membership = cluster == null ? Membership.standalone(UUID.randomUUID().toString()) : cluster;
      if (cluster != null) {
        cluster.watch(vertx.result());
      }
      ParallaxNode node = new ParallaxNode(config, registry, vertx.result(), membership);
      node.deploy().onComplete(deployed -> {
        if (deployed.succeeded()) {
          started.complete(node);
        } else {
          // Closed from a thread of its own: see stop().
          CompletableFuture.runAsync(() -> { })
              .thenCompose(ignored -> vertx.result().close().toCompletionStage())
              .whenComplete((closed, failure) -> started.completeExceptionally(deployed.cause()));
        }
      });
    });
    return started;
  }

  private static VertxOptions vertxOptions(ParallaxConfig config) {
    // Tasks and chunks may legitimately run up to their largest timeout; the blocked-thread checker should
    // only speak about a worker stuck beyond that.
    return new VertxOptions()
        .setPreferNativeTransport(true)
        .setMaxWorkerExecuteTime(Math.max(config.maxTaskTimeoutMillis(), config.jobs().chunkTimeoutMillis()) + 10_000)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
  }

  private Future<Void> deploy() {
    WorkScheduler.Limits limits = new WorkScheduler.Limits(config.maxQueued(), config.taskTimeoutMillis(),
        config.maxTaskTimeoutMillis());
    AtomicInteger workerIndex = new AtomicInteger();
    long maxRunMillis = Math.max(config.maxTaskTimeoutMillis(), config.jobs().chunkTimeoutMillis());
    DeploymentOptions workerOptions = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName(COMPUTE_POOL)
        .setWorkerPoolSize(config.workers())
        .setMaxWorkerExecuteTime(maxRunMillis + 10_000)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setInstances(config.workers());
    // The scheduler before the workers (they announce themselves to it), and with the coordinator on one
    // event loop; the rest side by side.
    WorkScheduler scheduler = new WorkScheduler(registry, cancelledJobs, limits, info.nodeId());
    JobCoordinator coordinator = new JobCoordinator(registry, jobStore, config.jobs(), info.nodeId(),
        this::workersInReach);
    Future<String> compute = vertx.deployVerticle(new OneEventLoop(scheduler, coordinator))
        .onSuccess(id -> LOG.info("Work scheduler and job coordinator deployed: {} tasks, at most {} tasks queued or "
            + "running, {} jobs running, {} queued", registry.all().size(), config.maxQueued(),
            config.jobs().maxRunning(), config.jobs().maxQueued()))
        .compose(id -> vertx.deployVerticle(
            () -> new ComputeWorker(registry, cancelledJobs, info.nodeId(), workerIndex.getAndIncrement()),
            workerOptions))
        .onSuccess(id -> LOG.info("{} compute workers deployed on pool {}", config.workers(), COMPUTE_POOL));
    Future<Integer> http = deployHttp();
    // join, not all: a failure is reported once every deployment has settled, so closing finds them all.
    return Future.join(compute, http)
        .map(deployed -> http.result())
        .compose(port -> vertx.deployVerticle(new NodeDirectory(info, advertisedHost(), this::httpPort)).map(port))
        .compose(port -> deployTcpBridge().map(port))
        .onSuccess(port -> {
          lifecycle.moveTo(NodeLifecycle.Phase.READY);
          LOG.info("Parallax {} node {} ready: HTTP on {}:{} ({} instances), {} workers{}", info.version(),
              info.nodeId(), config.httpHost(), port, config.httpInstances(), config.workers(),
              tcpBridge == null ? "" : ", TCP bridge on " + config.bridge().host() + ":" + tcpBridgePort());
        })
        .mapEmpty();
  }

  /** Deploys the HTTP verticles; Vert.x shares one listening socket between the instances. */
  private Future<Integer> deployHttp() {
    return vertx.deployVerticle(() -> {
      HttpVerticle verticle = new HttpVerticle(config, info, registry, lifecycle, jobStore, membership, policy,
          sockJsConnections);
      httpVerticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(config.httpInstances()))
        .map(id -> httpVerticles.get(0).actualPort())
        .recover(failure -> Future.failedFuture(startFailure("HTTP",
            config.httpHost() + ":" + config.httpPort(), failure)));
  }

  private Future<?> deployTcpBridge() {
    if (!config.bridge().tcp()) {
      return Future.succeededFuture();
    }
    tcpBridge = new TcpBridgeVerticle(config.bridge(), policy);
    return vertx.deployVerticle(tcpBridge).recover(failure -> Future.failedFuture(startFailure("TCP bridge",
        config.bridge().host() + ":" + config.bridge().port(), failure)));
  }

  /** Binding fails with an I/O error (port taken, address not on this host, no permission); anything else is ours. */
  private static IllegalStateException startFailure(String what, String address, Throwable failure) {
    return new IllegalStateException(failure instanceof java.io.IOException
        ? "the " + what + " port " + address + " is not available (" + failure.getMessage() + ")"
        : "the " + what + " server did not start (" + failure + ")");
  }

  /** The TCP bridge's port, or -1 when it is off. */
  public int tcpBridgePort() {
    return tcpBridge == null ? -1 : tcpBridge.actualPort();
  }

  /** Workers a job can count on: this node's, times the members of the cluster (nodes are alike). */
  private int workersInReach() {
    return config.workers() * Math.max(1, membership.members().size());
  }

  /** The address other hosts know this node by. */
  private String advertisedHost() {
    if (!config.cluster().enabled()) {
      return config.httpHost();
    }
    return config.cluster().publicHost().isEmpty() ? config.cluster().host() : config.cluster().publicHost();
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeInfo info() {
    return info;
  }

  public ParallaxConfig config() {
    return config;
  }

  /** The port the HTTP verticles serve (the chosen one when configured with port 0). */
  public int httpPort() {
    return httpVerticles.get(0).actualPort();
  }

  /**
   * Stops the node: refuse new work (503), let queued and running tasks finish within the grace period,
   * then undeploy everything and close Vert.x. Safe to call more than once, from any thread.
   */
  public synchronized CompletableFuture<Void> stop() {
    if (stopping == null) {
      LOG.info("Node {} draining: refusing new work, letting in-flight tasks finish (grace {} ms)", info.nodeId(),
          config.shutdownGraceMillis());
      lifecycle.moveTo(NodeLifecycle.Phase.DRAINING);
      DeliveryOptions drain = new DeliveryOptions().setLocalOnly(true)
          .setSendTimeout(Math.max(1, config.shutdownGraceMillis()));
      // Vert.x is closed from a thread of its own: a close started on an event loop would try to report
      // back on that same, by then terminated, event loop.
      stopping = Future.all(vertx.eventBus().request(Addresses.JOBS_DRAIN, null, drain),
              vertx.eventBus().request(Addresses.SCHEDULER_DRAIN, null, drain))
          .toCompletionStage().toCompletableFuture()
          .handle((drained, timeout) -> {
            if (timeout != null) {
              LOG.warn("Grace period over with work still running; stopping anyway");
            }
            return null;
          })
          .thenComposeAsync(drained -> vertx.close().toCompletionStage())
          .whenComplete((closed, failure) -> {
            lifecycle.moveTo(NodeLifecycle.Phase.STOPPED);
            LOG.info("Node {} stopped", info.nodeId());
          });
    }
    return stopping;
  }
}
