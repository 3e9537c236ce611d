// A fake Slack Socket Mode endpoint: a WebSocket server on loopback (RFC 6455 handshake and text
// frames, enough for @slack/socket-mode's client) that says hello, sends envelopes and records
// what the app sends back (envelope acks).
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

const HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export type FakeSocketMode = {
  url: string;
  /** Sends a JSON message to every connected client. */
  send: (message: object) => void;
  received: Record<string, unknown>[];
  /** Resolves with the first message received that matches. */
  waitFor: (
    match: (message: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ) => Promise<Record<string, unknown>>;
  connected: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const sockets = new Set<Socket>();
  const received: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  let onConnect: (() => void) | undefined;
  const firstConnection = new Promise<void>((resolve) => {
    onConnect = resolve;
  });
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on("upgrade", (req: IncomingMessage, socket: Socket) => {
    const key = String(req.headers["sec-websocket-key"] ?? "");
    const accept = createHash("sha1")
      .update(key + HANDSHAKE_GUID)
      .digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
        buffer = buffer.subarray(frame.size);
        if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload)); // ping → pong
        if (frame.opcode === 0x8) socket.end(encodeFrame(0x8, Buffer.alloc(0)));
        if (frame.opcode === 0x1) {
          received.push(JSON.parse(frame.payload.toString("utf8")) as Record<string, unknown>);
          for (const notify of listeners) notify();
        }
      }
    });
    onConnect?.();
    socket.write(encodeFrame(0x1, Buffer.from(JSON.stringify({ type: "hello", num_connections: 1 }))));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/link`,
    send: (message) => {
      for (const socket of sockets) socket.write(encodeFrame(0x1, Buffer.from(JSON.stringify(message))));
    },
    received,
    waitFor: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(match);
          if (!found) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`no matching Socket Mode message in ${timeoutMs} ms: ${JSON.stringify(received)}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    connected: () => firstConnection,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(length)]);
  return Buffer.concat([header, payload]);
}

function bigEndian64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(value));
  return out;
}

/** One complete client frame (clients always mask), or undefined until it has all arrived. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] ?? 0) & 0x0f;
  const masked = ((data[1] ?? 0) & 0x80) !== 0;
  let length = (data[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i++)
      payload[i] = (payload[i] ?? 0) ^ (data[maskOffset + (i % 4)] ?? 0);
  }
  return { opcode, payload, size: offset + length };
}
