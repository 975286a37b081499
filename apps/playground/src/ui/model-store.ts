// Saving and restoring the trained model: IndexedDB (survives a reload) and a downloadable file.
import { transfer } from 'comlink';
import type { TrainerClient } from '../client.js';
import type { ModelInfo } from '../protocol.js';

/** Where the layers package stores the model, and where the page remembers what it is. */
export const MODEL_URL = 'indexeddb://webdl-playground';
const INFO_KEY = 'webdl-playground/saved-model';

function savedInfo(): ModelInfo | null {
  try {
    const raw = localStorage.getItem(INFO_KEY);
    return raw ? (JSON.parse(raw) as ModelInfo) : null;
  } catch {
    return null;
  }
}

/**
 * The Save / Export / Import buttons and the startup restore.
 *
 * ```ts
 * const store = new ModelStore(client, (info) => showModel(info), (msg) => showError(msg));
 * await store.restore();
 * ```
 */
export class ModelStore {
  private readonly saveButton = document.getElementById('model-save') as HTMLButtonElement;
  private readonly exportButton = document.getElementById('model-export') as HTMLButtonElement;
  private readonly importInput = document.getElementById('model-import') as HTMLInputElement;
  private readonly statusEl = document.getElementById('model-status') as HTMLElement;

  constructor(
    private readonly client: TrainerClient,
    private readonly onModel: (info: ModelInfo) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.saveButton.addEventListener('click', () => void this.save());
    this.exportButton.addEventListener('click', () => void this.exportFile());
    this.importInput.addEventListener('change', () => void this.importFile());
  }

  /** Enables Save/Export once a model exists; `note` says where it came from. */
  setModel(info: ModelInfo | null, note: string): void {
    this.saveButton.disabled = info === null;
    this.exportButton.disabled = info === null;
    this.statusEl.textContent = note;
    this.statusEl.dataset.state = info ? note.split(' ')[0] : 'none';
  }

  /** Loads the model saved in IndexedDB, if any; returns its info. */
  async restore(): Promise<ModelInfo | null> {
    const info = savedInfo();
    if (!info) return null;
    try {
      const loaded = await this.client.call((t) => t.load(MODEL_URL, info));
      this.setModel(loaded, `restored ${describe(loaded)} from IndexedDB`);
      this.onModel(loaded);
      return loaded;
    } catch (e) {
      localStorage.removeItem(INFO_KEY);
      this.setModel(null, `could not restore the saved model: ${(e as Error).message}`);
      return null;
    }
  }

  private async save(): Promise<void> {
    try {
      const info = await this.client.call((t) => t.save(MODEL_URL));
      localStorage.setItem(INFO_KEY, JSON.stringify(info));
      this.setModel(info, `saved ${describe(info)} to IndexedDB`);
    } catch (e) {
      this.onError(`save failed: ${(e as Error).message}`);
    }
  }

  private async exportFile(): Promise<void> {
    try {
      const file = await this.client.call((t) => t.exportModel());
      const url = URL.createObjectURL(new Blob([file.bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `playground-${file.info.dataset}-${file.info.kind}.webdl`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.statusEl.textContent = `exported ${describe(file.info)} (${(file.bytes.byteLength / 1024).toFixed(0)} KiB)`;
    } catch (e) {
      this.onError(`export failed: ${(e as Error).message}`);
    }
  }

  private async importFile(): Promise<void> {
    const file = this.importInput.files?.[0];
    this.importInput.value = '';
    if (!file) return;
    try {
      const bytes = await file.arrayBuffer();
      const info = await this.client.call((t) => t.importModel(transfer(bytes, [bytes])));
      this.setModel(info, `imported ${describe(info)} from ${file.name}`);
      this.onModel(info);
    } catch (e) {
      this.onError(`import failed: ${(e as Error).message}`);
    }
  }
}

/** 'mnist mlp (101,770 parameters)' */
export function describe(info: ModelInfo): string {
  const params = info.params ? ` (${info.params.toLocaleString('en')} parameters)` : '';
  return `${info.dataset} ${info.kind}${params}`;
}
