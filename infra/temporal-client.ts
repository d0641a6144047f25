import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { EngineConfig } from './config';
import { engineDataConverter } from './data-converter';
import type { TemporalSettings } from './temporal-connection';
import { probeTls } from './tls-probe';
import { connectionOptions, explainConnectError, TemporalConnectError } from './temporal-connection';

/**
 * The largest reply a client takes (grpc-js allows 4 MiB unless told otherwise; Temporal's Go SDK
 * takes 128 MiB). A page of a survey batch's history holds up to a few hundred events of
 * thousands of customer ids each and passes 4 MiB for a batch of 100,000.
 */
export const CLIENT_MAX_RECEIVE_BYTES = 128 * 1024 * 1024;

/** A client connection with the engine's settings; a failure is one line saying what to fix. */
export async function connectTemporal(settings: TemporalSettings): Promise<Connection> {
  try {
    return await Connection.connect({ ...connectionOptions(settings), connectTimeout: '5 seconds', channelArgs: { 'grpc.max_receive_message_length': CLIENT_MAX_RECEIVE_BYTES } });
  } catch (err) {
    throw new TemporalConnectError(explainConnectError((await probeTls(settings)) ?? err, settings));
  }
}

/** A worker's connection, with the same settings as every client. */
export async function connectWorkerTemporal(settings: TemporalSettings): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectionOptions(settings));
  } catch (err) {
    throw new TemporalConnectError(explainConnectError((await probeTls(settings)) ?? err, settings));
  }
}

/**
 * The client every command and the API use. A connection failure becomes a message that says
 * where the engine was expected and which setting to fix.
 */
export async function connectClient(
  config: Pick<EngineConfig, 'home' | 'temporal'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Client> {
  const connection = await connectTemporal(config.temporal);
  // Payloads are encrypted with the keys of the engine's home, the same ones its worker uses.
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: engineDataConverter(config.home, env),
  });
}
