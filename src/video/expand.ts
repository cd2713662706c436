/**
 * A coarse pass's block values (one RGBA8 pixel per block) painted over the full frame:
 * every pixel takes its block's value, as the progressive renderer's preview passes do.
 */
export function expandBlocks(
  blocks: Uint8ClampedArray,
  blocksHigh: number,
  blocksWide: number,
  blockHeight: number,
  blockWidth: number,
  height: number,
  width: number,
): ImageData {
  if (blocks.length !== blocksHigh * blocksWide * 4) throw new RangeError(`${blocks.length / 4} block values for ${blocksHigh}x${blocksWide} blocks`);
  const out = new Uint32Array(width * height);
  const src = new Uint32Array(blocks.buffer, blocks.byteOffset, blocks.length / 4);
  for (let y = 0; y < height; y++) {
    const row = Math.min(blocksHigh - 1, Math.floor(y / blockHeight)) * blocksWide;
    for (let x = 0; x < width; x++) out[y * width + x] = src[row + Math.min(blocksWide - 1, Math.floor(x / blockWidth))]!;
  }
  return new ImageData(new Uint8ClampedArray(out.buffer), width, height);
}
