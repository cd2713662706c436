/**
 * The meter's plots (chart.js): frame-time histogram and timeline of the progressive render at
 * the recommended budget (video playback dashed in the timeline), and budget vs frame rate
 * from the stress ramp. Several runs (backends, throttle rates) share each chart.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Title,
} from 'chart.js';
import { histogram } from './stats.js';
import type { BackendRun } from './types.js';
import { FRAME_30_MS, FRAME_60_MS } from './verdict.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title);

export interface LabelledRun {
  label: string;
  run: BackendRun;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const colour = (i: number) => COLOURS[i % COLOURS.length]!;
const BIN_MS = 4;
const BINS = 25;
const WIDTH = 640;
const HEIGHT = 320;

function canvasIn(container: HTMLElement): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  container.append(canvas);
  return canvas;
}

/** A horizontal reference line across a chart as a dataset (no plugin needed). */
function rule(label: string, y: number, from: number, to: number, color: string) {
  return {
    type: 'line' as const,
    label,
    data: [
      { x: from, y },
      { x: to, y },
    ],
    borderColor: color,
    borderDash: [6, 4],
    borderWidth: 1,
    pointRadius: 0,
  };
}

const base = (title: string) => ({
  animation: false as const,
  responsive: false,
  devicePixelRatio: 1,
  plugins: { title: { display: true, text: title }, legend: { labels: { boxWidth: 12 } } },
});

function frameHistogram(container: HTMLElement, runs: LabelledRun[]): Chart {
  const labels = Array.from({ length: BINS }, (_, i) => (i === BINS - 1 ? `${i * BIN_MS}+` : `${i * BIN_MS}`));
  return new Chart(canvasIn(container), {
    type: 'bar',
    data: {
      labels,
      datasets: runs.map((r, i) => ({
        label: r.label,
        data: histogram(
          r.run.image.frames.map((f) => f.ms),
          BIN_MS,
          BINS,
        ),
        backgroundColor: colour(i),
      })),
    },
    options: {
      ...base('Frame time histogram: progressive render at the recommended budget'),
      scales: { x: { title: { display: true, text: `frame time, ms (bins of ${BIN_MS} ms)` } }, y: { title: { display: true, text: 'frames' } } },
    },
  });
}

function frameTimeline(container: HTMLElement, runs: LabelledRun[]): Chart {
  const longest = Math.max(1, ...runs.flatMap((r) => [r.run.image.frames.length, r.run.video.frames.length]));
  const series = (frames: { ms: number }[]) => frames.map((f, x) => ({ x, y: f.ms }));
  return new Chart(canvasIn(container), {
    type: 'line',
    data: {
      datasets: [
        ...runs.flatMap((r, i) => [
          { label: `${r.label} image`, data: series(r.run.image.frames), borderColor: colour(i), pointRadius: 1, borderWidth: 1.5 },
          { label: `${r.label} video`, data: series(r.run.video.frames), borderColor: colour(i), borderDash: [3, 3], pointRadius: 0, borderWidth: 1 },
        ]),
        rule('33.3 ms (30 fps)', FRAME_30_MS, 0, longest - 1, '#555'),
        rule('16.7 ms (60 fps)', FRAME_60_MS, 0, longest - 1, '#aaa'),
      ],
    },
    options: {
      ...base('Frame time per frame: image (solid), video (dashed)'),
      scales: {
        x: { type: 'linear', title: { display: true, text: 'frame' } },
        y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'ms' } },
      },
    },
  });
}

function budgetVsFps(container: HTMLElement, runs: LabelledRun[]): Chart {
  const budgets = runs.flatMap((r) => r.run.ramp.map((s) => s.budget));
  const lo = Math.min(...budgets);
  const hi = Math.max(...budgets);
  return new Chart(canvasIn(container), {
    type: 'line',
    data: {
      datasets: [
        ...runs.map((r, i) => ({
          label: r.label,
          data: r.run.ramp.map((s) => ({ x: s.budget, y: s.fpsAtP95 })),
          borderColor: colour(i),
          backgroundColor: colour(i),
          pointRadius: 3,
        })),
        rule('60 fps', 60, lo, hi, '#aaa'),
        rule('30 fps', 30, lo, hi, '#555'),
      ],
    },
    options: {
      ...base('Stress ramp: frame rate the p95 frame time allows, by MAC budget per frame'),
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'MACs per frame' } },
        y: { type: 'logarithmic', title: { display: true, text: 'fps (1000 / p95 frame ms)' } },
      },
    },
  });
}

/** Replaces the container's content with the three charts; returns them (to destroy later). */
export function drawCharts(container: HTMLElement, runs: LabelledRun[]): Chart[] {
  container.replaceChildren();
  return [frameHistogram(container, runs), frameTimeline(container, runs), budgetVsFps(container, runs)];
}
