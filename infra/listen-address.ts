import { z } from 'zod';

/** DISCLOSURE_METRICS_ADDRESS: `host:port`, e.g. `127.0.0.1:9464` or `0.0.0.0:9464`; port 0 picks a free one. */
export const ListenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9464')
  .transform((value) => {
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(value.slice(at + 1)) };
  })
  .refine((a) => a.port <= 65535, 'the port must be at most 65535');
export type ListenAddress = z.infer<typeof ListenAddress>;
