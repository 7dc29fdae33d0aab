import net from 'node:net';

/**
 * A start-up failure the operator can fix from its message alone (a port in use, an unreachable database): the
 * server logs the message and exits 1, without a stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Fails with a StartupError naming `variable` when `port` cannot be bound on `host`, so that a start that could
 * not serve stops before it creates anything (a database, a migration, an owner key).
 */
export async function assertPortFree(options: { port: number; host: string; variable: string }): Promise<void> {
  const { port, host, variable } = options;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(portError(err, options)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  }).catch((err: unknown) => {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`cannot check ${variable} ${port}: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/** The message for a failed bind (by the probe above, or by the server's own listen). */
export function portError(err: NodeJS.ErrnoException, options: { port: number; host: string; variable: string }): Error {
  const { port, host, variable } = options;
  if (err.code === 'EADDRINUSE') {
    return new StartupError(
      `${variable} ${port} is already in use by another process (on ${host}). Stop that process or set ${variable} to a free port.`,
    );
  }
  if (err.code === 'EACCES') {
    return new StartupError(
      `${variable} ${port} may not be opened by this user (ports below 1024 need privileges). Set ${variable} to a port above 1023.`,
    );
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new StartupError(`cannot listen on ${host}:${port}: the address is not one of this machine's. Check N8N_LISTEN_ADDRESS.`);
  }
  return new StartupError(`cannot listen on ${variable} ${port} (${host}): ${err.message}`);
}
