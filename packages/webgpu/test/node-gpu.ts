// Node test setup: points Dawn at Chromium's SwiftShader Vulkan driver (no GPU on CI) unless a driver was chosen already.
import { existsSync } from 'node:fs';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its instance, so setting it here suffices.
if (existsSync(ICD) && !process.env.VK_ICD_FILENAMES && !process.env.WEBDL_USE_SYSTEM_GPU) {
  process.env.VK_ICD_FILENAMES = ICD;
}
