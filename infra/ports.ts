import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port yet. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The preferred port when it is free, else 0 (the caller then takes any free port). */
export async function preferPort(port: number): Promise<number> {
  return (await isPortFree(port)) ? port : 0;
}
