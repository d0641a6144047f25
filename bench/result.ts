import type { Client } from '@temporalio/client';

/** One measured quantity, one value per run; the report shows median and range. */
export interface Figure {
  label: string;
  unit: string;
  values: number[];
  /** Decimals to print. */
  digits?: number;
}

/** What a section hands to the report: its figures, or why it measured nothing. */
export interface SectionReport {
  title: string;
  method: string;
  figures: Figure[];
  notes: string[];
  notMeasured?: string;
}

export const notMeasured = (title: string, method: string, reason: string): SectionReport => ({ title, method, figures: [], notes: [], notMeasured: reason });

/**
 * A workflow's result, abandoned after `ms`: the long poll is aborted rather than left running,
 * so that closing the connection later cannot trip over a call still in flight.
 */
export async function resultWithin(client: Client, workflowId: string, ms: number): Promise<unknown> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return await client.connection.withAbortSignal(abort.signal, () => client.workflow.getHandle(workflowId).result());
  } catch (err) {
    if (abort.signal.aborted) throw new Error(`workflow ${workflowId} did not finish within ${Math.round(ms / 1000)} s`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
