import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces carry customer ids, staff names and SMTP replies. With
 * `encodeCommonAttributes` they travel in a payload, which the engine's codec encrypts like
 * every other; the server keeps only "Encoded failure". Loaded by path, so the workflow
 * sandbox (bundled) and the worker, clients and replayers (required) all use this one.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
