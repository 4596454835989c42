export { FileSlotInstaller } from './file-slot-installer.js';
export { chooseBoot } from './simulated-boot.js';
export type { BootOutcome } from './simulated-boot.js';
export { otherSlot } from './slot-installer.js';
export type { BootFallback, BootState, FallbackReason, SlotImage, SlotInstaller, SlotName, SlotWriteRequest } from './slot-installer.js';
export { writeSlotImage } from './slot-writer.js';
export type { WrittenImage } from './slot-writer.js';
export { fileChunks, defaultChunkBytes } from './file-chunks.js';
export { sha256OfFile } from './sha256-of-file.js';
