import type { Device, PhysicalDevice, Queue } from '@vkmap/core';
import type { CorpusRun } from '@vkmap/spirv/corpus';

/** A run's buffers, descriptor sets and recorded command buffer on one device. */
export declare class PreparedRun {
  /** Whether every buffer's memory is HOST_COHERENT (no flush or invalidate is made). */
  readonly coherent: boolean;
  /** Writes bytes into buffers by name, through their mappings, and flushes non-coherent memory. */
  upload(bytesByName: Readonly<Record<string, Uint8Array>>): void;
  /** Submits the command buffer and waits for its fence (waitForFences, no timeout). */
  submit(): void;
  /** The same, waiting with waitForFencesAsync. */
  submitAsync(): Promise<void>;
  /** Invalidates non-coherent memory and copies every buffer's bytes out, by name. */
  read(): Record<string, Uint8Array>;
  destroy(): void;
}

/** Runs corpus runs on `device` through the public compute API (see corpus-device.mjs). */
export declare class CorpusDevice {
  readonly queueFamilyIndex: number;
  readonly queue: Queue;
  /** preferNonCoherent: put buffers in a HOST_VISIBLE memory type without HOST_COHERENT where one is offered. */
  constructor(physicalDevice: PhysicalDevice, device: Device, options?: { preferNonCoherent?: boolean });
  /** Creates the run's buffers (mapped, not written) and pipelines in the compiled form of `caseFile`, and records it. */
  prepare(run: CorpusRun, caseFile: string): PreparedRun;
  /** Uploads, submits, waits and reads: every buffer's final bytes, by name. */
  run(run: CorpusRun, caseFile: string): Record<string, Uint8Array>;
  destroy(): void;
}
