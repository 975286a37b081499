// Type stand-in for tfjs-backend-webgpu's side-effect import: its own .d.ts pulls in a clashing older @webgpu/types.
export {};
