import { readInr, specFromHeader, statedPsnr, type InrFile } from '../../../../src/format/index.js';
import { modelCost } from '../../../../src/model/cost.js';
import { readInput } from './io.js';

/** What `inrstream info` reports; also its `--json` output. */
function describe(file: InrFile, bytes: number) {
  const h = file.header;
  // Bits per pixel: per sample of the whole signal (every frame of a video).
  const samples = h.shape.reduce((a, b) => a * b, 1);
  const segmentCount = h.segments?.length ?? 1;
  const specs = Array.from({ length: segmentCount }, (_, k) => specFromHeader(h, k));
  const spec = specs[0]!;
  // Per-pixel costs of a segmented video: the frame-weighted mean over its segments.
  const frames = specs.map((s) => s.shape[0]!);
  const perPx = (key: 'macPerPx' | 'sinesPerPx' | 'addsPerPx' | 'sirenMacPerPx') =>
    specs.reduce((sum, s, k) => sum + modelCost(s)[key] * frames[k]!, 0) / frames.reduce((a, b) => a + b, 0);
  return {
    kind: h.kind,
    axes: h.axes,
    shape: h.shape,
    channels: h.channels,
    levels: spec.bases[0]!.length,
    bases: specs.map((s) => s.bases),
    widths: h.widths,
    dtypes: [...new Set(h.tensors.map((t) => t.dtype))],
    version: `${file.version.major}.${file.version.minor}`,
    bytes,
    bpp: (8 * bytes) / samples,
    psnr: statedPsnr(h) ?? null,
    segments: segmentCount,
    macPerPx: perPx('macPerPx'),
    sinesPerPx: perPx('sinesPerPx'),
    addsPerPx: perPx('addsPerPx'),
    sirenMacPerPx: perPx('sirenMacPerPx'),
    provenance: h.provenance ?? {},
  };
}

const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));

export async function infoCommand(path: string, json: boolean): Promise<string> {
  const bytes = await readInput(path);
  const d = describe(readInr(bytes), bytes.length);
  if (json) return JSON.stringify(d, null, 2);
  const lines = [
    `${path}: ${d.kind}, ${d.shape.join('x')} (${d.axes.join(', ')}), ${d.channels} channel${d.channels === 1 ? '' : 's'}`,
    `levels      ${d.levels}; bases ${d.bases.map((seg) => seg.map((b) => `[${b.join(',')}]`).join(' x ')).join('; ')}`,
    `widths      ${d.widths.join(', ')}`,
    `dtype       ${d.dtypes.join(', ')} (format ${d.version})${d.segments > 1 ? `; ${d.segments} time segments` : ''}`,
    `bytes       ${fmt(d.bytes)}`,
    `bpp         ${d.bpp.toLocaleString('en-US', { maximumFractionDigits: 4 })} bits per ${d.kind === 'signal' ? 'sample' : 'pixel'}`,
    `psnr        ${d.psnr === null ? 'not stated' : `${d.psnr} dB (stated by the file: its own weights against the source)`}`,
    `cost        ${fmt(d.macPerPx)} MAC/px (SIREN of equal depth and width: ${fmt(d.sirenMacPerPx)}, ${fmt(d.sirenMacPerPx / d.macPerPx)}x), ${fmt(d.sinesPerPx)} sines/px, ${fmt(d.addsPerPx)} adds/px`,
  ];
  const prov = Object.entries(d.provenance);
  if (prov.length) lines.push(`provenance  ${prov.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  return lines.join('\n');
}
