/** One log file name per test file, the same in the test process and in the reporter. */
export function logFileFor(testPath: string): string;
