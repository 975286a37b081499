// @webdl/layers: not built yet (see its issue); this module intentionally exports nothing.
export {};
