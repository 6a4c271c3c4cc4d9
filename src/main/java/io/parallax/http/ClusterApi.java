package io.parallax.http;

import io.parallax.bus.Addresses;
import io.parallax.cluster.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /api/cluster}: every member describes itself over the event bus; silent ones are left out. */
final class ClusterApi {

  private static final long MEMBER_TIMEOUT_MILLIS = 2_000;

  private final Vertx vertx;
  private final Membership membership;

  ClusterApi(Vertx vertx, Membership membership) {
    this.vertx = vertx;
    this.membership = membership;
  }

  void cluster(RoutingContext ctx) {
    List<Future<Message<JsonObject>>> answers = membership.members().stream()
        .map(node -> vertx.eventBus().<JsonObject>request(Addresses.node(node), null,
            new DeliveryOptions().setSendTimeout(MEMBER_TIMEOUT_MILLIS)))
        .toList();
    Future.join(answers).onComplete(all -> {
      JsonArray members = new JsonArray();
      answers.stream().filter(Future::succeeded).map(answer -> answer.result().body())
          .sorted(java.util.Comparator.comparing(member -> member.getString("joinedAt")))
          .forEach(members::add);
      ApiResponses.json(ctx, 200, new JsonObject().put("self", membership.self()).put("members", members));
    });
  }
}
