import type { DataConverter } from '@temporalio/common';

/**
 * The one data converter every client, worker and replayer of the engine uses, so that what
 * one writes into workflow history the others can read.
 */
export function engineDataConverter(_home: string): DataConverter {
  return {};
}
