import net from 'node:net';

/** The machine's Redis, which the Redis tests (and the queue-mode benchmark) use. */
export const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 };

/** Whether something accepts TCP connections at host:port within a second (tests that need Redis skip otherwise). */
export function answersTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
