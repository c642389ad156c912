// A fault-injecting TCP proxy for the tests, standing between a hub and central (this kernel
// has no netem). On command it forwards, refuses (every connection reset at once), cuts
// connections after a chosen number of bytes in either direction, delays every chunk, or
// drops (holds connections open and silent until told otherwise). It counts what it carried
// and keeps the first bytes each connection sent, so a test can replay a request.
import net from "node:net";

/**
 * Resolves with the proxy, listening on a free loopback port and forwarding to
 * 127.0.0.1:`target` (which `retarget` changes, for a server restarted on another port).
 */
export function startProxy(target) {
  const state = {
    target,
    mode: "up",
    delayMs: 0,
    // For "cut": after how many bytes, up (client → server) or down, a connection is cut.
    cutAt: () => ({ up: Infinity, down: Infinity }),
    bytesUp: 0,
    bytesDown: 0,
    connections: 0,
    cuts: 0,
    sockets: new Set(),
    held: new Set(),
    // The first request bytes of every connection, in order (capped).
    requests: [],
  };

  const server = net.createServer((client) => {
    state.connections += 1;
    state.sockets.add(client);
    client.on("close", () => state.sockets.delete(client));
    client.on("error", () => {});
    if (state.mode === "down") {
      client.resetAndDestroy();
      return;
    }
    if (state.mode === "drop") {
      state.held.add(client);
      return;
    }
    const limits = state.mode === "cut" ? state.cutAt() : { up: Infinity, down: Infinity };
    const upstream = net.connect(state.target, "127.0.0.1");
    state.sockets.add(upstream);
    upstream.on("close", () => state.sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    const recorded = [];
    state.requests.push(recorded);
    let up = 0;
    let down = 0;
    const cut = () => {
      state.cuts += 1;
      client.resetAndDestroy();
      upstream.destroy();
    };
    const pass = (chunk, to, direction) => {
      const send = () => {
        if (to.destroyed) return;
        if (direction === "up") {
          if (up + chunk.length > limits.up) {
            to.write(chunk.subarray(0, Math.max(0, limits.up - up)));
            return cut();
          }
          up += chunk.length;
          state.bytesUp += chunk.length;
          if (recorded.length < 64) recorded.push(chunk);
        } else {
          if (down + chunk.length > limits.down) {
            to.write(chunk.subarray(0, Math.max(0, limits.down - down)));
            return cut();
          }
          down += chunk.length;
          state.bytesDown += chunk.length;
        }
        to.write(chunk);
      };
      if (state.delayMs > 0) setTimeout(send, state.delayMs);
      else send();
    };
    client.on("data", (chunk) => pass(chunk, upstream, "up"));
    upstream.on("data", (chunk) => pass(chunk, client, "down"));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        stats: () => ({
          bytesUp: state.bytesUp,
          bytesDown: state.bytesDown,
          connections: state.connections,
          cuts: state.cuts,
        }),
        /** The bytes each connection sent first, joined, oldest connection first. */
        requests: () => state.requests.map((chunks) => Buffer.concat(chunks)),
        retarget: (port) => (state.target = port),
        up: () => {
          state.mode = "up";
          state.delayMs = 0;
          for (const socket of state.held) socket.resetAndDestroy();
          state.held.clear();
        },
        /** Every connection refused from now on, and those open now reset. */
        down: () => {
          state.mode = "down";
          for (const socket of state.sockets) socket.destroy();
        },
        /** New connections held open and silent, as a black hole does. */
        drop: () => (state.mode = "drop"),
        /** New connections cut after the bytes `cutAt()` draws for each one. */
        cut: (cutAt) => {
          state.mode = "cut";
          state.cutAt = cutAt;
        },
        delay: (ms) => (state.delayMs = ms),
        close: () =>
          new Promise((done) => {
            for (const socket of [...state.sockets, ...state.held]) socket.destroy();
            server.close(done);
          }),
      });
    });
  });
}
