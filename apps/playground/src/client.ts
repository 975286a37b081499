// The page's handle on the training worker: comlink calls that fail, instead of hanging, if it dies.
import { releaseProxy, wrap, type Remote } from 'comlink';
import type { TrainerApi } from './worker/trainer.js';

/**
 * Starts the worker, and a fresh one whenever it dies (an uncaught error, out of memory): calls in
 * flight reject, and `onRestart` hears why, so the page can say so and carry on.
 *
 * ```ts
 * const client = new TrainerClient((error) => console.warn(error.message));
 * const info = await client.call((t) => t.init());
 * ```
 */
export class TrainerClient {
  private worker!: Worker;
  private api!: Remote<TrainerApi>;
  private died!: Promise<never>;
  /** The current worker's `init()`: calls wait for it, so a freshly spawned worker is never asked too early. */
  private ready!: Promise<unknown>;
  /** Deaths since a call last succeeded: a worker that cannot even start is not restarted forever. */
  private deaths = 0;

  constructor(private readonly onRestart: (error: Error) => void) {
    this.spawn();
  }

  /** Runs `fn` against the worker; rejects if the worker dies before it settles. */
  call<T>(fn: (api: Remote<TrainerApi>) => Promise<T>): Promise<T> {
    const api = this.api;
    return Promise.race([this.ready.then(() => fn(api)), this.died]).then((value) => {
      this.deaths = 0;
      return value;
    });
  }

  private spawn(): void {
    const worker = new Worker(new URL('./worker/entry.ts', import.meta.url), {
      type: 'module',
      name: 'trainer',
    });
    this.worker = worker;
    this.api = wrap<TrainerApi>(worker);
    this.ready = this.api.init();
    this.ready.catch(() => {});
    this.died = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        const error = new Error(`the training worker failed: ${e.message || 'it could not start'}`);
        reject(error);
        // Its state is gone: replace it rather than leave a worker that may no longer answer.
        this.api[releaseProxy]();
        worker.terminate();
        if (++this.deaths > 3) return;
        this.spawn();
        this.onRestart(error);
      });
    });
    // Nobody may be waiting when it dies; `onRestart` reports it.
    this.died.catch(() => {});
  }
}
