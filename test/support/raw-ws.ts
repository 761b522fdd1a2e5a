// A raw WebSocket client for robustness tests: sends frames `ws` would refuse to build (unmasked, reserved opcodes, …).
import crypto from 'node:crypto';
import net from 'node:net';

export interface RawSocket {
  /** Writes one frame; `mask: false` sends it unmasked (a protocol error from a client). */
  frame(opcode: number, payload: Buffer, options?: { mask?: boolean; fin?: boolean }): void;
  /** Resolves when the server closes the TCP connection. */
  closed: Promise<void>;
  /** Everything the server sent after the handshake. */
  received(): Buffer;
  end(): void;
}

export function openRawSocket(port: number, headers: Record<string, string>): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (upgraded) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString();
      buffer = buffer.subarray(end + 4);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      upgraded = true;
      resolve({
        frame: (opcode, payload, options = {}) => socket.write(encodeFrame(opcode, payload, options.mask ?? true, options.fin ?? true)),
        closed,
        received: () => buffer,
        end: () => socket.destroy(),
      });
    });
    const lines = [
      'GET /api/ws HTTP/1.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

function encodeFrame(opcode: number, payload: Buffer, mask: boolean, fin: boolean): Buffer {
  const length = payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    header.push(...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(header), payload]);
  const key = crypto.randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(header), key, masked]);
}
