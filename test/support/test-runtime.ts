import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { createLogger, temporalLogger } from '../../infra/logger';
import { writeTestLog } from './file-logs';

/** What the Temporal SDK and its core logged in this test process, through the engine's redacting logger. */
export const runtimeLogLines: string[] = [];

// The SDK logs every worker state change at INFO; tests only want warnings, kept in the test
// file's log and shown when that file fails. Core's own lines (a deliberate nondeterminism in a
// replay test, say) are forwarded here too instead of going to stderr.
Runtime.install({
  logger: temporalLogger(
    createLogger((line) => {
      runtimeLogLines.push(line);
      writeTestLog(line);
    }),
    'WARN',
  ),
  telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
});
