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

export function decodeImage(bytes: Uint8Array, name = 'image'): TrainSignal {
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
