'use strict';
const { readFileSync, rmSync } = require('node:fs');
const path = require('node:path');
const { logFileFor } = require('./file-logs-path');

/**
 * A jest reporter: the worker and SDK logs a test file wrote (test/support/file-logs.ts) are
 * printed after that file's result when it failed, and dropped when it passed, so a green run
 * shows only the runner's own lines.
 */
class FailedFileLogs {
  onTestResult(_test, result) {
    const dir = process.env.TEST_LOG_DIR;
    if (dir === undefined) return;
    const file = path.join(dir, logFileFor(result.testFilePath));
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    rmSync(file, { force: true });
    const failed = result.numFailingTests > 0 || result.testExecError !== undefined;
    if (failed && text.length > 0) {
      process.stderr.write(`\n--- logs of ${path.relative(process.cwd(), result.testFilePath)} ---\n${text}--- end of logs ---\n`);
    }
  }
}

module.exports = FailedFileLogs;
