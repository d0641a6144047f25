'use strict';
/** One log file name per test file, the same in the test process and in the reporter. */
exports.logFileFor = (testPath) => `${testPath.replace(/[^A-Za-z0-9._-]+/g, '_')}.log`;
