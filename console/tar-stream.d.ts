/** The part of tar-stream 2.x the evidence download and its offline check use (the package ships no types). */
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';
  interface Pack extends Readable {
    entry(
      header: { name: string; mode?: number; mtime?: Date; type?: Headers['type']; linkname?: string | undefined },
      content: string | Buffer,
      callback?: (err?: Error) => void,
    ): void;
    finalize(): void;
  }
  interface Headers {
    name: string;
    type?:
      | 'file'
      | 'link'
      | 'symlink'
      | 'character-device'
      | 'block-device'
      | 'directory'
      | 'fifo'
      | 'contiguous-file'
      | 'pax-header'
      | 'pax-global-header'
      | 'gnu-long-link-path'
      | 'gnu-long-path'
      | null;
    linkname?: string | null;
    size?: number;
  }
  interface Extract extends Writable {
    on(event: 'entry', listener: (header: Headers, stream: Readable, next: () => void) => void): this;
    on(event: 'finish', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }
  export function pack(): Pack;
  export function extract(): Extract;
}
