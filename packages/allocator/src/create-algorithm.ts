import { VkmapArgumentError } from '@vkmap/core';
import type { BlockAlgorithm } from './block-algorithm.js';
import { LinearAlgorithm } from './linear.js';
import { TlsfAlgorithm } from './tlsf.js';

/** The sub-allocation algorithms: 'tlsf' (general purpose, the default) or 'linear' (stack, ring buffer, double stack). */
export type AlgorithmName = 'tlsf' | 'linear';

export function toAlgorithmName(value: unknown, argument: string): AlgorithmName {
  if (value === undefined) return 'tlsf';
  if (value === 'tlsf' || value === 'linear') return value;
  throw new VkmapArgumentError(
    argument,
    `must be 'tlsf' or 'linear' (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)})`,
  );
}

export function createAlgorithm(name: AlgorithmName, size: number): BlockAlgorithm {
  return name === 'linear' ? new LinearAlgorithm(size) : new TlsfAlgorithm(size);
}
