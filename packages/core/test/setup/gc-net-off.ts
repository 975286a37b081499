// Test setup: the garbage-collection safety net (on by default for users) is off in test runs, so a
// test's before/after tensor counts never move because an earlier test's garbage got finalized in
// between; the safety-net tests turn it on themselves.
import { setGcSafetyNet } from '@webdl/core';

setGcSafetyNet(false);
