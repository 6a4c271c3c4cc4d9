package io.parallax.bridge;

import io.parallax.bus.FailureException;
import io.parallax.bus.Timeouts;
import io.parallax.config.ParallaxConfig.BridgeSettings;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge, for clients in any language. Frames are the standard Vert.x bridge frames: a
 * 4-byte big-endian length, then that many bytes of UTF-8 JSON {@code {type, address, replyAddress?,
 * headers?, body}}; clients send {@code send}, {@code publish}, {@code register}, {@code unregister},
 * {@code ping}; the bridge answers {@code message}, {@code err}, {@code pong}.
 *
 * <p>Written here rather than taken from vertx-tcp-eventbus-bridge because that parser buffers whatever
 * length a frame announces: a frame over {@code bridge.maxFrameBytes}, or one that is not a JSON object of the
 * right shape, gets an {@code err} frame and the connection is closed. Access follows {@link BridgePolicy};
 * a denied frame gets {@code err} "access_denied" and the connection stays open.
 */
public final class TcpBridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeVerticle.class);
  private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  private static final long MAX_TIMEOUT_MILLIS = 300_000;

  private final BridgeSettings settings;
  private final BridgePolicy policy;
  private NetServer server;
  private int connections;
  private volatile int actualPort;

  public TcpBridgeVerticle(BridgeSettings settings, BridgePolicy policy) {
    this.settings = settings;
    this.policy = policy;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost(settings.host()).setPort(settings.port()));
    return server.connectHandler(this::connected).listen().onSuccess(listening -> {
      actualPort = listening.actualPort();
      LOG.info("TCP event-bus bridge on {}:{}", settings.host(), actualPort);
    });
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return actualPort;
  }

  private void connected(NetSocket socket) {
    if (connections >= settings.maxConnections()) {
      socket.write(frame(error("too_many_connections"))).onComplete(written -> socket.close());
      return;
    }
    connections++;
    Connection connection = new Connection(socket);
    socket.closeHandler(closed -> {
      connections--;
      connection.unregisterAll();
    });
    socket.exceptionHandler(failure -> socket.close());
  }

  static Buffer frame(JsonObject json) {
    Buffer body = json.toBuffer();
    return Buffer.buffer(4 + body.length()).appendInt(body.length()).appendBuffer(body);
  }

  static JsonObject error(String message) {
    return new JsonObject().put("type", "err").put("message", message);
  }

  /** One client's connection: its parser, its pending requests and its registrations. */
  private final class Connection {
    private final NetSocket socket;
    private final RecordParser parser = RecordParser.newFixed(4);
    private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
    private boolean expectingLength = true;
    private int inFlight;
    private boolean closed;

    Connection(NetSocket socket) {
      this.socket = socket;
      parser.handler(this::record);
      socket.handler(parser);
    }

    private void record(Buffer record) {
      if (closed) {
        return;
      }
      if (expectingLength) {
        int length = record.getInt(0);
        if (length <= 0 || length > settings.maxFrameBytes()) {
          fatal("invalid_frame_length: frames are 1 to " + settings.maxFrameBytes() + " bytes");
          return;
        }
        expectingLength = false;
        parser.fixedSizeMode(length);
      } else {
        expectingLength = true;
        parser.fixedSizeMode(4);
        handle(record);
      }
    }

    private void handle(Buffer bytes) {
      JsonObject frame;
      try {
        String text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.getBytes())).toString();
        frame = new JsonObject(text);
      } catch (CharacterCodingException notUtf8) {
        fatal("invalid_frame: not UTF-8");
        return;
      } catch (RuntimeException notAnObject) {
        fatal("invalid_frame: not a JSON object");
        return;
      }
      Object type = frame.getValue("type");
      Object address = frame.getValue("address");
      Object headers = frame.getValue("headers");
      if (!(type instanceof String) || (headers != null && !(headers instanceof JsonObject))) {
        fatal("invalid_frame: type must be a string and headers an object");
        return;
      }
      if (type.equals("ping")) {
        write(new JsonObject().put("type", "pong"));
        return;
      }
      if (!(address instanceof String target) || target.isEmpty()) {
        fatal("invalid_frame: address must be a non-empty string");
        return;
      }
      JsonObject headerObject = headers == null ? new JsonObject() : (JsonObject) headers;
      Object token = headerObject.remove("auth");
      if (!policy.authorized(token instanceof String text ? text : null)) {
        write(error("access_denied: missing or wrong token").put("address", target));
        return;
      }
      switch ((String) type) {
        case "send" -> send(frame, target, headerObject);
        case "publish" -> publish(frame, target, headerObject);
        case "register" -> register(target);
        case "unregister" -> unregister(target);
        default -> fatal("invalid_frame: unknown type " + type);
      }
    }

    private void send(JsonObject frame, String address, JsonObject headers) {
      if (!policy.permitsInbound(address)) {
        write(error("access_denied").put("address", address));
        return;
      }
      Object replyAddress = frame.getValue("replyAddress");
      DeliveryOptions options = deliveryOptions(headers);
      if (replyAddress == null) {
        vertx.eventBus().send(address, frame.getValue("body"), options);
        return;
      }
      if (!(replyAddress instanceof String replyTo)) {
        fatal("invalid_frame: replyAddress must be a string");
        return;
      }
      if (inFlight >= settings.maxInFlight()) {
        write(error("too_many_requests: at most " + settings.maxInFlight() + " awaiting a reply")
            .put("address", replyTo));
        return;
      }
      Long timeout = timeout(headers);
      if (timeout == null) {
        write(error("invalid_timeout: headers.timeout must be 1 to " + MAX_TIMEOUT_MILLIS + " ms")
            .put("address", replyTo));
        return;
      }
      inFlight++;
      // A second more than the task's own timeout, so that a task's structured 504 arrives before ours.
      options.setSendTimeout(timeout + 1_000);
      vertx.eventBus().request(address, frame.getValue("body"), options).onComplete(reply -> {
        inFlight--;
        if (reply.succeeded()) {
          write(message(replyTo, reply.result()));
        } else {
          write(failure(replyTo, reply.cause()));
        }
      });
    }

    private void publish(JsonObject frame, String address, JsonObject headers) {
      if (!policy.permitsInbound(address)) {
        write(error("access_denied").put("address", address));
        return;
      }
      vertx.eventBus().publish(address, frame.getValue("body"), deliveryOptions(headers));
    }

    private void register(String address) {
      if (!policy.permitsOutbound(address)) {
        write(error("access_denied").put("address", address));
        return;
      }
      if (registrations.containsKey(address)) {
        return;
      }
      if (registrations.size() >= settings.maxRegistrations()) {
        write(error("too_many_registrations: at most " + settings.maxRegistrations()).put("address", address));
        return;
      }
      registrations.put(address, vertx.eventBus().consumer(address, delivered -> write(message(address, delivered))));
    }

    private void unregister(String address) {
      MessageConsumer<Object> consumer = registrations.remove(address);
      if (consumer != null) {
        consumer.unregister();
      }
    }

    void unregisterAll() {
      closed = true;
      registrations.values().forEach(MessageConsumer::unregister);
      registrations.clear();
    }

    private JsonObject message(String address, Message<Object> message) {
      JsonObject frame = new JsonObject().put("type", "message").put("address", address).put("body", message.body());
      if (!message.headers().isEmpty()) {
        JsonObject headers = new JsonObject();
        message.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
        frame.put("headers", headers);
      }
      return frame;
    }

    private JsonObject failure(String address, Throwable cause) {
      JsonObject frame = new JsonObject().put("type", "err").put("address", address);
      if (cause instanceof ReplyException reply) {
        return frame.put("failureCode", reply.failureCode()).put("failureType", reply.failureType().name())
            .put("message", reply.getMessage());
      }
      return frame.put("failureCode", -1).put("failureType", "RECIPIENT_FAILURE").put("message", "failed");
    }

    private DeliveryOptions deliveryOptions(JsonObject headers) {
      DeliveryOptions options = new DeliveryOptions();
      MultiMap multiMap = MultiMap.caseInsensitiveMultiMap();
      headers.forEach(header -> {
        if (header.getValue() != null && !"timeout".equals(header.getKey())) {
          multiMap.add(header.getKey(), String.valueOf(header.getValue()));
        }
      });
      // The task timeout travels on as the "timeout" header that tasks read.
      Long timeout = timeout(headers);
      if (headers.containsKey("timeout") && timeout != null) {
        multiMap.add("timeout", Long.toString(timeout));
      }
      return options.setHeaders(multiMap);
    }

    /** The headers' timeout, or null when it is not a valid one. */
    private Long timeout(JsonObject headers) {
      try {
        return Timeouts.parse(headers.getValue("timeout"), DEFAULT_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
      } catch (FailureException invalid) {
        return null;
      }
    }

    private void write(JsonObject json) {
      if (closed) {
        return;
      }
      if (socket.writeQueueFull()) {
        // A client that does not read must not make this node buffer without bound.
        closed = true;
        socket.close();
        return;
      }
      socket.write(frame(json));
    }

    private void fatal(String message) {
      if (!closed) {
        closed = true;
        socket.write(frame(error(message))).onComplete(written -> socket.close());
      }
    }
  }
}
