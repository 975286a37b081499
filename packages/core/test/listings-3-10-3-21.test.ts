// The seed's GradientTape listings 3.10-3.21 (and y = 2x + 6 by SGD, and a leak check) on the CPU backend.
import { listingsSuite } from './suites/listings.js';

listingsSuite('cpu');
