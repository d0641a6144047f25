import { writeWorkflowBundle } from './workflow-bundle';

/** `npm run build` runs this after compiling: the prebuilt workflow bundle for workers and replay. */
writeWorkflowBundle().then(
  (b) => process.stdout.write(`workflow bundle: ${b.path} (${b.modules} project modules, ${(b.bytes / 1024).toFixed(0)} KiB)\n`),
  (err: unknown) => {
    process.stderr.write(`could not build the workflow bundle: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
