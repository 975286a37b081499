// Types shared by the camera panel and its worker: frames travel as transferable ImageBitmaps, never JSON.

/** Side of the square the worker resizes every frame to (image.resizeBilinear) before training and prediction. */
export const FRAME_SIDE = 32;

/** What the camera worker runs on and how many examples each class has. */
export interface CameraState {
  backend: string;
  counts: number[];
}

/** Progress of a training run of the camera classifier. */
export interface CameraProgress {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
}

/** One prediction on a live frame: class probabilities and the worker-side time it took. */
export interface CameraPrediction {
  probabilities: number[];
  ms: number;
}
