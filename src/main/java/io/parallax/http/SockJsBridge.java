package io.parallax.http;

import io.parallax.bridge.BridgePolicy;
import io.parallax.config.ParallaxConfig.BridgeSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SockJS event-bus bridge at {@code /eventbus}, for browsers and Node. Vert.x enforces the permitted
 * addresses of {@link BridgePolicy}; this class adds what Vert.x does not: the token (a {@code token} query
 * parameter when connecting, or {@code headers.auth} on each frame), denial of internal addresses, and the
 * per-bridge and per-connection bounds.
 */
final class SockJsBridge {

  /** Internal, hence never permitted: denied frames are sent here so that Vert.x answers "access_denied". */
  private static final String DENIED_ADDRESS = "parallax.internal.denied";

  private final Vertx vertx;
  /** Shared by this node's HTTP instances, owned by the node. */
  private final AtomicInteger connections;
  private final BridgeSettings settings;
  private final BridgePolicy policy;
  private final Map<SockJSSocket, SocketState> sockets = new ConcurrentHashMap<>();

  private static final class SocketState {
    boolean authorized;
    int registrations;
  }

  SockJsBridge(Vertx vertx, BridgeSettings settings, BridgePolicy policy, AtomicInteger connections) {
    this.vertx = vertx;
    this.connections = connections;
    this.settings = settings;
    this.policy = policy;
  }

  Router router() {
    SockJSBridgeOptions options = new SockJSBridgeOptions().setPingTimeout(30_000)
        .setMaxHandlersPerSocket(settings.maxRegistrations());
    policy.inboundPermitted().forEach(options::addInboundPermitted);
    policy.outboundPermitted().forEach(options::addOutboundPermitted);
    SockJSHandlerOptions handlerOptions = new SockJSHandlerOptions().setMaxBytesStreaming(settings.maxFrameBytes());
    if (!settings.allowedOrigin().isEmpty()) {
      handlerOptions.setOrigin(settings.allowedOrigin());
    }
    return SockJSHandler.create(vertx, handlerOptions).bridge(options, this::event);
  }

  private void event(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        if (connections.incrementAndGet() > settings.maxConnections()) {
          connections.decrementAndGet();
          event.complete(false);
          return;
        }
        SocketState state = new SocketState();
        state.authorized = policy.authorized(tokenFromQuery(socket));
        sockets.put(socket, state);
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        if (sockets.remove(socket) != null) {
          connections.decrementAndGet();
        }
        event.complete(true);
      }
      case SEND, PUBLISH, REGISTER -> {
        if (!allowed(event, socket)) {
          deny(event);
        }
        event.complete(true);
      }
      case UNREGISTER -> {
        SocketState state = sockets.get(socket);
        if (state != null && state.registrations > 0) {
          state.registrations--;
        }
        event.complete(true);
      }
      default -> event.complete(true);
    }
  }

  private boolean allowed(BridgeEvent event, SockJSSocket socket) {
    SocketState state = sockets.get(socket);
    JsonObject frame = event.getRawMessage();
    String address = frame == null ? null : frame.getString("address");
    if (state == null || address == null) {
      return false;
    }
    JsonObject headers = frame.getJsonObject("headers");
    Object token = headers == null ? null : headers.remove("auth");
    if (!state.authorized && !policy.authorized(token instanceof String text ? text : null)) {
      return false;
    }
    if (event.type() == BridgeEventType.REGISTER) {
      if (!policy.permitsOutbound(address) || state.registrations >= settings.maxRegistrations()) {
        return false;
      }
      state.registrations++;
      return true;
    }
    if (headers != null) {
      event.setRawMessage(frame.put("headers", headers));
    }
    return policy.permitsInbound(address);
  }

  /**
   * Vert.x answers a frame its event handler rejects with "rejected", but one outside the permitted addresses
   * with "access_denied". Pointing a denied frame at an address no policy can permit gives every denial the
   * same clear answer.
   */
  private static void deny(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    if (frame != null) {
      event.setRawMessage(frame.copy().put("address", DENIED_ADDRESS));
    }
  }

  private static String tokenFromQuery(SockJSSocket socket) {
    String uri = socket.uri();
    int query = uri == null ? -1 : uri.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : uri.substring(query + 1).split("&")) {
      if (pair.startsWith("token=")) {
        return java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
