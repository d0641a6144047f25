/** The part of tar-stream 2.x the evidence download uses (the package ships no types). */
declare module 'tar-stream' {
  import type { Readable } from 'node:stream';
  interface Pack extends Readable {
    entry(
      header: { name: string; mode?: number; mtime?: Date },
      content: string | Buffer,
      callback?: (err?: Error) => void,
    ): void;
    finalize(): void;
  }
  export function pack(): Pack;
}
