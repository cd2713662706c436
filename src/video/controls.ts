/**
 * The minimal controls of <inr-video controls>: play/pause, a time slider, the time. They
 * drive the element only through its public media API.
 */
export interface MediaLike extends EventTarget {
  readonly paused: boolean;
  readonly duration: number;
  currentTime: number;
  play(): Promise<void>;
  pause(): void;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '0:00';
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}.${String(Math.floor((seconds - s) * 10))}`;
}

export function buildControls(media: MediaLike): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'controls';
  bar.setAttribute('part', 'controls');
  const button = document.createElement('button');
  button.type = 'button';
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.min = '0';
  slider.step = 'any';
  slider.setAttribute('aria-label', 'Seek');
  const time = document.createElement('span');
  bar.append(button, slider, time);

  const update = (): void => {
    button.textContent = media.paused ? '▶' : '❚❚';
    button.setAttribute('aria-label', media.paused ? 'Play' : 'Pause');
    slider.max = String(Number.isFinite(media.duration) ? media.duration : 0);
    slider.value = String(media.currentTime);
    time.textContent = `${clock(media.currentTime)} / ${clock(media.duration)}`;
  };
  button.addEventListener('click', () => (media.paused ? void media.play() : media.pause()));
  slider.addEventListener('input', () => (media.currentTime = Number(slider.value)));
  for (const type of ['loadedmetadata', 'play', 'pause', 'timeupdate', 'seeked', 'ended', 'emptied']) media.addEventListener(type, update);
  update();
  return bar;
}
