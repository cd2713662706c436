import { type InrEvent, type InrParseOptions, InrParser } from './parser.js';
import type { InrFile, InrHeader, InrVersion } from './types.js';

/** Collects parser events into an InrFile. */
export class InrFileBuilder {
  private version: InrVersion | undefined;
  private header: InrHeader | undefined;
  private readonly tensors = new Map<string, Float32Array>();
  private byteLength: number | undefined;

  add(event: InrEvent): void {
    switch (event.type) {
      case 'header':
        this.version = event.version;
        this.header = event.header;
        break;
      case 'tensor':
        this.tensors.set(event.entry.name, event.values);
        break;
      case 'provenance':
        this.header = { ...this.header!, provenance: event.provenance };
        break;
      case 'done':
        this.byteLength = event.byteLength;
        break;
    }
  }

  /** Only valid after the parser's end() returned without throwing. */
  file(): InrFile {
    return { version: this.version!, header: this.header!, tensors: this.tensors, byteLength: this.byteLength! };
  }
}

/** Reads a complete `.inr` file held in memory. */
export function readInr(bytes: Uint8Array, options?: InrParseOptions): InrFile {
  const parser = new InrParser(options);
  const builder = new InrFileBuilder();
  for (const event of parser.push(bytes)) builder.add(event);
  parser.end();
  return builder.file();
}
