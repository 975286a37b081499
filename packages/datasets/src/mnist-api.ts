// The `mnist` namespace of @webdl/datasets: only load (the helpers in mnist.ts stay internal).
export { load } from './mnist.js';
