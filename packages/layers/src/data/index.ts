// The `data` namespace: dataset sources and the Dataset class with its transforms.
export {
  array,
  tensors,
  generator,
  csv,
  type CsvOptions,
  type GeneratorFn,
  type TensorStructure,
  type RowOf,
} from './sources.js';
export { Dataset, DatasetError, type BatchOptions, type ShuffleOptions, type BatchOf } from './dataset.js';
