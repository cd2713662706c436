/**
 * PNG and JPEG bytes to a training signal ([H, W], RGB in [0, 1]; alpha is dropped). Pure
 * JavaScript (pngjs, jpeg-js), so it runs in Node without native code.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InrTrainError } from '../../../../src/util/errors.js';
import type { TrainSignal } from '../../../../src/train/signal.js';
import { rgbaToSignal } from '../../../../src/train/rgba.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * The largest image decoded by default: 4096 x 4096. A small compressed file can describe a
 * huge picture (a 261 KB PNG once grew the trainer past 3 GB), so the size is read from the
 * header and checked before anything is decoded; `--max-pixels` raises it.
 */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

/** Width and height from a PNG's IHDR or a JPEG's frame header, or null when not found. */
function headerSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_MAGIC)) return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
  // JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
  for (let i = 2; i + 9 <= bytes.length;) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(i + 7), height: view.getUint16(i + 5) };
    }
    i += 2 + view.getUint16(i + 2);
  }
  return null;
}

export function decodeImage(bytes: Uint8Array, name = 'image', maxPixels = DEFAULT_MAX_PIXELS): TrainSignal {
  const size = headerSize(bytes);
  if (size && size.width * size.height > maxPixels) {
    throw new InrTrainError(
      'too-large',
      `${name}: ${size.width}x${size.height} is ${size.width * size.height} pixels, over the limit of ${maxPixels} (--max-pixels raises it)`,
    );
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    if (startsWith(bytes, PNG_MAGIC)) decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    else if (startsWith(bytes, JPEG_MAGIC)) decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    else throw new InrTrainError('bad-input', `${name}: not a PNG or JPEG image`);
  } catch (e) {
    if (e instanceof InrTrainError) throw e;
    throw new InrTrainError('bad-input', `${name}: cannot decode the image (${(e as Error).message})`);
  }
  if (decoded.width < 1 || decoded.height < 1) throw new InrTrainError('empty-signal', `${name}: the image is ${decoded.width}x${decoded.height}`);
  return rgbaToSignal(decoded.data, decoded.width, decoded.height);
}
