/**
 * A 4:2:0 `.y4m` clip for tests: `luma(t, x, y)` per pixel, chroma neutral. F is the frame
 * rate in the header.
 */
export function y4mClip(frames: number, w: number, h: number, fps: number, luma: (t: number, x: number, y: number) => number): Uint8Array {
  const head = new TextEncoder().encode(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frame = w * h + 2 * (w / 2) * (h / 2);
  const out = new Uint8Array(head.length + frames * (6 + frame));
  out.set(head);
  let at = head.length;
  for (let t = 0; t < frames; t++) {
    out.set(new TextEncoder().encode('FRAME\n'), at);
    at += 6;
    for (let i = 0; i < w * h; i++) out[at + i] = luma(t, i % w, Math.floor(i / w));
    out.fill(128, at + w * h, at + frame);
    at += frame;
  }
  return out;
}
