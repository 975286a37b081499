// The playground page: wires the setup form, charts and try-it panels to the training worker.
import { proxy, transfer } from 'comlink';
import { TrainerClient } from './client.js';
import type { DatasetName, ModelInfo, Progress, TrainResult } from './protocol.js';
import { BoundaryView } from './ui/boundary.js';
import { LiveChart } from '@webdl/vis';
import { DrawPad } from './ui/draw-pad.js';
import { SetupForm, type Setup } from './ui/form.js';
import { describe, ModelStore } from './ui/model-store.js';
import { VaePanel } from './ui/vae-panel.js';
import { mountCameraPanel } from './camera/panel.js';

type Status = 'idle' | 'training' | 'paused' | 'done' | 'error';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const fmt = (v: number | undefined, digits = 4): string =>
  v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

const client = new TrainerClient((error) => {
  // The worker died and a fresh one started: its model and data went with the old one.
  shownDataset = null;
  model = null;
  store.setModel(null, 'the model was lost with the worker');
  fail(error);
  initBackend().catch((e: Error) => showError(`${error.message}; the new worker failed too: ${e.message}`));
});
const startButton = $<HTMLButtonElement>('train-start');
const pauseButton = $<HTMLButtonElement>('train-pause');
const stopButton = $<HTMLButtonElement>('train-stop');
const form = new SetupForm((valid) => (startButton.disabled = !valid || busy()));
// @webdl/vis charts (uPlot); the canvases keep the chart-loss / chart-accuracy test ids.
const chartOptions = { series: ['train', 'validation'], pointsOnly: ['validation'], width: 480, height: 200 };
const lossChart = new LiveChart($('chart-loss-box'), { ...chartOptions, testId: 'chart-loss' });
const accuracyChart = new LiveChart($('chart-accuracy-box'), {
  ...chartOptions,
  testId: 'chart-accuracy',
  yRange: [0, 1],
});
const boundary = new BoundaryView($<HTMLCanvasElement>('boundary'));
const store = new ModelStore(
  client,
  (info) => useModel(info),
  (message) => showError(message),
);
const vae = new VaePanel(client, {
  begin: () => {
    if (busy()) return false;
    showError(null);
    setStatus('training');
    return true;
  },
  end: () => setStatus('done'),
  fail: (e) => fail(e),
  settings: () => form.read(),
});
let status: Status = 'idle';
let model: ModelInfo | null = null;
let shownDataset: DatasetName | null = null;

function busy(): boolean {
  return status === 'training' || status === 'paused';
}

function setStatus(next: Status): void {
  status = next;
  const el = $('status');
  el.textContent = next;
  el.dataset.status = next;
  startButton.disabled = busy() || form.read() === null;
  pauseButton.disabled = !busy();
  pauseButton.textContent = next === 'paused' ? 'Resume' : 'Pause';
  stopButton.disabled = !busy();
  vae.setEnabled(!busy());
  form.datasetSelect.disabled = form.modelSelect.disabled = busy();
}

function showError(message: string | null): void {
  const el = $('error');
  el.textContent = message ?? '';
  el.hidden = message === null;
}

/** Shows the try-it panel that fits the dataset: decision boundary for points, drawing for digits. */
async function showDataset(name: DatasetName): Promise<void> {
  $('boundary-box').hidden = name === 'mnist';
  $('digit-box').hidden = name !== 'mnist';
  $('vae-box').hidden = name !== 'mnist';
  if (name === 'mnist' || shownDataset === name) return;
  const info = await client.call((t) => t.loadDataset(name));
  shownDataset = name;
  if (info.extent && info.points && info.labels) boundary.setPoints(info.extent, info.points, info.labels);
}

function useModel(info: ModelInfo): void {
  model = info;
  $('summary').textContent = info.summary;
  if (form.datasetSelect.value !== info.dataset) {
    form.datasetSelect.value = info.dataset;
    form.applyDefaults(info.dataset);
  }
  form.modelSelect.value = info.kind;
  void showDataset(info.dataset)
    .then(async () => {
      if (info.dataset === 'mnist') predictDigit(pad.pixels());
      // Draw the model's decision regions once; training keeps them current from then on.
      else boundary.setGrid(await client.call((t) => t.decisionBoundary()));
    })
    .catch((e: Error) => showError(e.message));
}

function onProgress(p: Progress): void {
  const first = p.step - p.batchLoss.length + 1;
  p.batchLoss.forEach((v, i) => lossChart.add(first + i, { train: v }));
  p.batchAccuracy.forEach((v, i) => accuracyChart.add(first + i, { train: v }));
  if (p.phase === 'epoch') {
    if (p.valLoss !== undefined) lossChart.add(p.step, { validation: p.valLoss });
    if (p.valAccuracy !== undefined) accuracyChart.add(p.step, { validation: p.valAccuracy });
  }
  $('epoch').textContent = String(p.finishedEpochs);
  $('loss').textContent = fmt(p.loss);
  $('accuracy').textContent = fmt(p.accuracy);
  $('val-accuracy').textContent = fmt(p.valAccuracy);
  const done = p.phase === 'epoch' ? p.finishedEpochs * p.batches : p.epoch * p.batches + p.batch;
  $<HTMLProgressElement>('progress').value = done / (p.epochs * p.batches);
  const epochShown = Math.min(p.epoch + 1, p.epochs);
  $('progress-text').textContent =
    `epoch ${epochShown}/${p.epochs} · batch ${p.batch}/${p.batches} · ${Math.round(p.samplesPerSec).toLocaleString('en')} samples/s`;
  if (p.boundary) boundary.setGrid(p.boundary);
}

function resetRun(): void {
  lossChart.clear();
  accuracyChart.clear();
  for (const id of ['loss', 'accuracy', 'val-accuracy']) $(id).textContent = '–';
  $('epoch').textContent = '0';
  $<HTMLProgressElement>('progress').value = 0;
  $('progress-text').textContent = 'starting…';
  boundary.setGrid(null);
}

async function train(setup: Setup): Promise<void> {
  showError(null);
  resetRun();
  setStatus('training');
  try {
    await showDataset(setup.dataset);
    $('progress-text').textContent = setup.dataset === 'mnist' ? 'loading MNIST…' : 'building the model…';
    await client.call((t) => t.loadDataset(setup.dataset));
    const info = await client.call((t) =>
      t.buildModel({ kind: setup.model, optimizer: setup.optimizer, learningRate: setup.learningRate }),
    );
    useModel(info);
    store.setModel(info, `trained ${describe(info)} (not saved)`);
    const result: TrainResult = await client.call((t) =>
      t.train({ epochs: setup.epochs, batchSize: setup.batchSize }, proxy(onProgress)),
    );
    $('accuracy').textContent = fmt(result.accuracy);
    $('loss').textContent = fmt(result.loss);
    $('val-accuracy').textContent = fmt(result.valAccuracy);
    $('epoch').textContent = String(result.epochs);
    if (result.stopped) $('progress-text').textContent += ' · stopped';
    setStatus('done');
    if (info.dataset === 'mnist') predictDigit(pad.pixels());
  } catch (e) {
    fail(e);
  }
}

/** Shows a failure; Train works again right away. */
function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  showError(message);
  setStatus('error');
  $('progress-text').textContent = 'stopped by an error';
}

startButton.addEventListener('click', () => {
  const setup = form.read();
  if (setup && !busy()) void train(setup);
});
pauseButton.addEventListener('click', () => {
  if (status === 'training') {
    setStatus('paused');
    void client.call((t) => t.pause());
  } else if (status === 'paused') {
    setStatus('training');
    void client.call((t) => t.resume());
  }
});
stopButton.addEventListener('click', () => void client.call((t) => t.stop()));
form.datasetSelect.addEventListener('change', () => {
  void showDataset(form.datasetSelect.value as DatasetName).catch((e: Error) => showError(e.message));
});

// Draw-a-digit: classify as the person draws; one request in flight, the newest drawing wins.
let digitBusy = false;
let nextDigit: Float32Array | null = null;
const pad = new DrawPad($<HTMLCanvasElement>('draw-pad'), (pixels) => predictDigit(pixels));
$('draw-clear').addEventListener('click', () => pad.clear());

function predictDigit(pixels: Float32Array | null): void {
  const list = $('prediction');
  if (!pixels || pixels.every((v) => v === 0)) {
    list.replaceChildren();
    return;
  }
  if (model?.dataset !== 'mnist') {
    list.textContent = 'train or load an MNIST model to classify your drawing';
    return;
  }
  nextDigit = pixels;
  if (digitBusy) return;
  digitBusy = true;
  void (async () => {
    while (nextDigit) {
      const input = nextDigit;
      nextDigit = null;
      try {
        const out = await client.call((t) =>
          t.predict(transfer({ data: input, shape: [1, 28, 28, 1] }, [input.buffer])),
        );
        const top = Array.from(out.data, (p, digit) => ({ digit, p }))
          .sort((a, b) => b.p - a.p)
          .slice(0, 3);
        list.replaceChildren(
          ...top.map(({ digit, p }) => {
            const li = document.createElement('li');
            li.innerHTML = `<strong>${digit}</strong><meter min="0" max="1" value="${p}"></meter><span>${(p * 100).toFixed(1)}%</span>`;
            return li;
          }),
        );
        list.dataset.top = String(top[0].digit);
      } catch (e) {
        list.textContent = `prediction failed: ${(e as Error).message}`;
      }
    }
    digitBusy = false;
  })();
}

async function initBackend(): Promise<void> {
  const info = await client.call((t) => t.init());
  const badge = $('backend');
  badge.textContent = info.backend;
  badge.dataset.backend = info.backend;
  $('backend-adapter').textContent = info.backend === 'webgpu' ? info.adapter : '';
  const notice = $('backend-notice');
  notice.hidden = info.backend === 'webgpu';
  const why = info.webgpuAvailable ? `WebGPU did not start on ${info.adapter}` : info.adapter;
  notice.textContent = `No WebGPU (${why}): training runs on the CPU backend, which is much slower.`;
}

async function start(): Promise<void> {
  form.applyDefaults(form.datasetSelect.value as DatasetName);
  setStatus('idle');
  try {
    await initBackend();
    const restored = await store.restore();
    if (!restored) await showDataset(form.datasetSelect.value as DatasetName);
  } catch (e) {
    showError((e as Error).message);
    setStatus('error');
  }
  document.body.dataset.ready = 'true';
}

void start();

mountCameraPanel($('camera-box'));
