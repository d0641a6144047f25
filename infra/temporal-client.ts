import { Client, Connection } from '@temporalio/client';
import type { EngineConfig } from './config';
import { engineDataConverter } from './data-converter';

/**
 * The client every command and the API use. A connection failure becomes a message that says
 * where the engine was expected and how to start it.
 */
export async function connectClient(config: Pick<EngineConfig, 'home' | 'temporalAddress' | 'temporalNamespace'>): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5 seconds' });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${config.temporalAddress} (${(err as Error).message}); start the engine with \`npm start\` or set TEMPORAL_ADDRESS`,
    );
  }
  // Payloads are encrypted with the keys of the engine's home, the same ones its worker uses.
  return new Client({ connection, namespace: config.temporalNamespace, dataConverter: engineDataConverter(config.home) });
}
