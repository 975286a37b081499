// The training worker's entry point: exposes one Trainer over comlink.
import { expose } from 'comlink';
import { createTrainer } from './trainer.js';

expose(createTrainer());
