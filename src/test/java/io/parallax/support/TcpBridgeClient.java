package io.parallax.support;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw-socket client of the TCP event-bus bridge: 4-byte big-endian length, then UTF-8 JSON. */
public final class TcpBridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  public TcpBridgeClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  public void send(JsonObject frame) throws IOException {
    writeRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  public void writeRaw(byte[] body) throws IOException {
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  public void writeBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public JsonObject read() throws IOException {
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return new JsonObject(new String(body, StandardCharsets.UTF_8));
  }

  /** Request-reply: sends to {@code address} with a reply address and answers the frame that comes back. */
  public JsonObject request(String address, Object body, JsonObject headers) throws IOException {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("replyAddress", "r-1")
        .put("body", body);
    if (headers != null) {
      frame.put("headers", headers);
    }
    send(frame);
    return read();
  }

  /** Whether the server closed the connection (reads end of stream within the timeout). */
  public boolean closedByServer() throws IOException {
    try {
      while (true) {
        int length = in.readInt();
        in.skipNBytes(length);
      }
    } catch (EOFException endOfStream) {
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  public void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
