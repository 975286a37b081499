// The camera panel: webcam frames captured per class (hold a button), a small CNN trained in a Worker, live predictions a few times a second.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { CameraProgress } from './protocol.js';
import type { CameraApi } from './worker.js';

/** Least time between live predictions (ms); `?cameraPredictMs=0` runs them back to back (bench/camera-fps.mjs). */
const PREDICT_EVERY_MS = Number(new URLSearchParams(location.search).get('cameraPredictMs') ?? 200);
const CAPTURE_EVERY_MS = 120;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text = '',
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

/** Why the camera cannot be used, in words a person can act on. */
export function explainCameraError(e: unknown): string {
  const name = (e as { name?: string }).name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'Camera permission was refused: allow the camera for this page in the browser and press Start camera again.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return 'No camera was found: connect one and press Start camera again.';
  }
  if (name === 'NotReadableError') return 'The camera is busy in another application.';
  return `The camera could not start: ${(e as Error).message ?? String(e)}`;
}

/**
 * Mounts the camera panel into `root`: class names, capture buttons with thumbnails, training and live
 * predictions, all computed in its own Worker.
 *
 * ```ts
 * mountCameraPanel(document.getElementById('camera-box')!);
 * ```
 */
export function mountCameraPanel(root: HTMLElement): void {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'camera' });
  const api: Remote<CameraApi> = wrap<CameraApi>(worker);
  root.append(el('h2', {}, 'Camera dataset'));
  root.append(
    el(
      'p',
      { class: 'hint' },
      'Name 2 to 4 classes, hold a button to capture frames of each, train, then watch live predictions.',
    ),
  );
  const names = el('input', {
    'data-testid': 'camera-classes',
    value: 'one, two',
    size: '24',
    'aria-label': 'class names, comma separated',
  });
  const start = el('button', { 'data-testid': 'camera-start' }, 'Start camera');
  const status = el('p', { 'data-testid': 'camera-status', class: 'progress-text' }, 'camera off');
  const video = el('video', {
    'data-testid': 'camera-video',
    width: '160',
    height: '120',
    muted: '',
    playsinline: '',
  });
  video.muted = true;
  video.hidden = true;
  const classes = el('div', { class: 'camera-classes' });
  const train = el('button', { 'data-testid': 'camera-train', disabled: '' }, 'Train');
  const trainStatus = el('p', { 'data-testid': 'camera-train-status', class: 'progress-text' });
  const prediction = el('p', { 'data-testid': 'camera-prediction', class: 'progress-text' });
  const predictionCount = el('span', { 'data-testid': 'camera-prediction-count' }, '0');
  const fps = el('span', { 'data-testid': 'camera-fps' });
  const live = el('p', { class: 'progress-text' });
  live.append('predictions: ', predictionCount, ' · ', fps);
  root.append(
    names,
    el('div', { class: 'buttons' }),
    status,
    video,
    classes,
    train,
    trainStatus,
    prediction,
    live,
  );
  root.querySelector('.buttons')!.append(start);

  let counts: number[] = [];
  let predicting = false;

  const classNames = () =>
    names.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  async function capture(i: number, thumbs: HTMLElement, count: HTMLElement): Promise<void> {
    if (video.readyState < 2) return;
    const thumb = el('canvas', { width: '40', height: '30' });
    thumb.getContext('2d')!.drawImage(video, 0, 0, 40, 30);
    thumbs.prepend(thumb);
    while (thumbs.childElementCount > 12) thumbs.lastElementChild!.remove();
    const frame = await createImageBitmap(video);
    const state = await api.addExample(transfer(frame, [frame]), i);
    counts = state.counts;
    count.textContent = String(counts[i]);
    train.disabled = counts.some((c) => c === 0);
  }

  function buildClasses(): void {
    const list = classNames();
    classes.replaceChildren();
    list.forEach((name, i) => {
      const row = el('div', { class: 'camera-class' });
      const button = el('button', { 'data-testid': `camera-capture-${i}` }, `Hold to add “${name}”`);
      const count = el('span', { 'data-testid': `camera-count-${i}` }, '0');
      const thumbs = el('div', { 'data-testid': `camera-thumbs-${i}`, class: 'camera-thumbs' });
      let timer: ReturnType<typeof setInterval> | null = null;
      const stop = () => {
        if (timer) clearInterval(timer);
        timer = null;
      };
      button.addEventListener('pointerdown', () => {
        stop();
        void capture(i, thumbs, count);
        timer = setInterval(() => void capture(i, thumbs, count), CAPTURE_EVERY_MS);
      });
      for (const ev of ['pointerup', 'pointerleave', 'pointercancel']) button.addEventListener(ev, stop);
      row.append(button, ' frames: ', count, thumbs);
      classes.append(row);
    });
  }

  start.addEventListener('click', async () => {
    const list = classNames();
    if (list.length < 2 || list.length > 4) {
      status.textContent = `Name 2 to 4 classes (got ${list.length}).`;
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      status.textContent =
        'This page cannot use a camera here (it needs https or localhost and a browser with getUserMedia).';
      return;
    }
    start.disabled = true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: 320, height: 240 },
        audio: false,
      });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      const state = await api.init(list.length);
      counts = state.counts;
      names.disabled = true;
      buildClasses();
      status.textContent = `camera on (${video.videoWidth}x${video.videoHeight}), worker on ${state.backend}`;
    } catch (e) {
      status.textContent = explainCameraError(e);
      start.disabled = false;
    }
  });

  train.addEventListener('click', async () => {
    train.disabled = true;
    predicting = false;
    trainStatus.textContent = 'training…';
    try {
      const done = await api.train(
        12,
        proxy(
          (p: CameraProgress) =>
            (trainStatus.textContent = `epoch ${p.epoch}/${p.epochs} · loss ${p.loss.toFixed(3)} · accuracy ${p.accuracy.toFixed(2)}`),
        ),
      );
      trainStatus.textContent = `trained: loss ${done.loss.toFixed(3)}, accuracy ${done.accuracy.toFixed(2)}`;
      predicting = true;
      void predictLoop();
    } catch (e) {
      trainStatus.textContent = `training failed: ${(e as Error).message}`;
    } finally {
      train.disabled = false;
    }
  });

  async function predictLoop(): Promise<void> {
    let n = 0;
    const t0 = performance.now();
    while (predicting && video.readyState >= 2) {
      const begin = performance.now();
      const frame = await createImageBitmap(video);
      const { probabilities } = await api.predict(transfer(frame, [frame]));
      const list = classNames();
      const best = probabilities.indexOf(Math.max(...probabilities));
      prediction.textContent = probabilities.map((p, i) => `${list[i]} ${p.toFixed(2)}`).join(' · ');
      prediction.dataset.best = list[best];
      predictionCount.textContent = String(++n);
      fps.textContent = `${(n / ((performance.now() - t0) / 1000)).toFixed(1)} frames/s`;
      // A few times a second at most, and never stacked: the page stays responsive.
      await new Promise((r) => setTimeout(r, Math.max(0, PREDICT_EVERY_MS - (performance.now() - begin))));
    }
  }
}
