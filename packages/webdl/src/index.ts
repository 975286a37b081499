// @webdl/webdl: not built yet (see its issue); this module intentionally exports nothing.
export {};
