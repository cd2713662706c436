/**
 * Opens a video model from a URL, Response, stream or bytes with one progressive read:
 * resolves with a VideoSource as soon as the header has arrived, and keeps feeding it
 * segments as their tensors arrive. Load failures before the header reject (typed, as
 * `loadInr`); later ones end the source with its `error`.
 */
import { loadInr, type InrSource, type LoadProgress } from '../loader/load.js';
import { VideoSource } from './source.js';

export interface OpenVideoOptions {
  signal?: AbortSignal;
  onProgress?(progress: LoadProgress): void;
  fetchInit?: RequestInit;
}

export function openVideo(src: InrSource, options: OpenVideoOptions = {}): Promise<VideoSource> {
  return new Promise<VideoSource>((resolve, reject) => {
    let source: VideoSource | undefined;
    loadInr(src, {
      ...options,
      onEvent: (event) => {
        if (event.type === 'header') {
          // A header that is not a video throws here, which fails the load with that error.
          source = new VideoSource(event.version, event.header);
          resolve(source);
        } else {
          source?.add(event);
        }
      },
    }).then(
      () => source?.end(),
      (error: unknown) => (source ? source.end(error) : reject(error)),
    );
  });
}
