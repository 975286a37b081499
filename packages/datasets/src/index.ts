// @webdl/datasets: datasets on demand for webdl (MNIST digits), kept out of webdl so no data ships inside it.
export { loadMnist, type MnistData, type MnistOptions } from './mnist-package.js';
