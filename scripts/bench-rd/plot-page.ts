/**
 * bench:rd's plot (chart.js, drawn in headless Chromium and saved as PNG by the script): one
 * chart per picture, PSNR against bits per pixel, the `.inr` sizes beside the three classical
 * curves, and a rule at 0.3 bpp (the comparison point).
 */
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Title } from 'chart.js';
import type { RdPicture } from './types.js';

Chart.register(Legend, LinearScale, LineController, LineElement, PointElement, Title);

const STYLE = {
  inr: { label: '.inr (ASMR, q8, entropy-coded)', color: '#d62728', radius: 5 },
  jpeg: { label: 'JPEG (libjpeg-turbo)', color: '#1f77b4', radius: 0 },
  mozjpeg: { label: 'JPEG (mozjpeg)', color: '#2ca02c', radius: 0 },
  webp: { label: 'WebP', color: '#ff7f0e', radius: 0 },
} as const;
const MAX_BPP = 1.2;

function draw(pictures: RdPicture[]): void {
  const container = document.getElementById('plots')!;
  for (const p of pictures) {
    const canvas = document.createElement('canvas');
    canvas.width = 480;
    canvas.height = 360;
    container.append(canvas);
    const shown = p.points.filter((q) => q.bpp <= MAX_BPP);
    const psnrs = shown.map((q) => q.psnr);
    const yMin = Math.floor(Math.min(...psnrs)) - 1;
    const yMax = Math.ceil(Math.max(...psnrs)) + 1;
    new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          ...(Object.keys(STYLE) as (keyof typeof STYLE)[]).map((codec) => ({
            label: STYLE[codec].label,
            data: shown
              .filter((q) => q.codec === codec)
              .sort((a, b) => a.bpp - b.bpp)
              .map((q) => ({ x: q.bpp, y: q.psnr })),
            borderColor: STYLE[codec].color,
            backgroundColor: STYLE[codec].color,
            pointRadius: STYLE[codec].radius,
            borderWidth: codec === 'inr' ? 2.5 : 1.5,
          })),
          {
            label: '0.3 bpp',
            data: [
              { x: 0.3, y: yMin },
              { x: 0.3, y: yMax },
            ],
            borderColor: '#888',
            borderDash: [5, 4],
            borderWidth: 1,
            pointRadius: 0,
          },
        ],
      },
      options: {
        animation: false,
        responsive: false,
        devicePixelRatio: 1,
        plugins: { title: { display: true, text: `${p.name} (${p.width}x${p.height})` }, legend: { labels: { boxWidth: 12 } } },
        scales: {
          x: { type: 'linear', min: 0, max: MAX_BPP, title: { display: true, text: 'bits per pixel' } },
          y: { type: 'linear', min: yMin, max: yMax, title: { display: true, text: 'PSNR (dB, RGB)' } },
        },
      },
    });
  }
}

Object.assign(window, { drawRd: draw });
