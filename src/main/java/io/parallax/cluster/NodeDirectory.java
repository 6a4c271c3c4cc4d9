package io.parallax.cluster;

import io.parallax.NodeInfo;
import io.parallax.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * Answers {@code parallax.internal.node.<id>} with what {@code /api/cluster} shows of this node: where it is,
 * its workers and how busy they are, the chunks it computed, since when it is a member.
 */
public final class NodeDirectory extends VerticleBase {

  private final NodeInfo info;
  private final String host;
  private final IntSupplier httpPort;
  private final Instant joinedAt = Instant.now();

  public NodeDirectory(NodeInfo info, String host, IntSupplier httpPort) {
    this.info = info;
    this.host = host;
    this.httpPort = httpPort;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().consumer(Addresses.node(info.nodeId()), request ->
        vertx.eventBus().<JsonObject>request(Addresses.SCHEDULER_STATUS, null, new DeliveryOptions().setLocalOnly(true))
            .onSuccess(status -> request.reply(new JsonObject()
                .put("nodeId", info.nodeId())
                .put("host", host)
                .put("httpPort", httpPort.getAsInt())
                .put("workers", info.workers())
                .put("busyWorkers", status.body().getInteger("busyWorkers"))
                .put("chunksDone", status.body().getLong("chunksDone"))
                .put("joinedAt", joinedAt.toString())))
            .onFailure(failure -> request.fail(503, "node status unavailable"))).completion();
  }
}
