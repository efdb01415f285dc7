import net from 'node:net';

/** A raw client that asks for `target` and never reads a byte of the answer. */
export function neverReadingClient(port: number, target: string): net.Socket {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.pause();
  socket.on('error', () => {});
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  return socket;
}
