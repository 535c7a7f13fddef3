import type { Device } from '../contract/index.js';
import { VkmapArgumentError } from '../errors.js';
import type { ValidationLayerOptions } from '../validation-options.js';
import { ValidatedDevice } from './layer.js';

export { ValidatedDevice } from './layer.js';
export {
  VUID_CATALOGUE,
  vuidEntry,
  vuidUrl,
  isKnownVuid,
  type KnownVuid,
  type VuidEntry,
  type VuidId,
  type VuidKhrAlias,
  type SpecChapter,
} from './vuids.js';

/**
 * Wraps a device (of any backend) in the validation layer: the returned Device has the same interface,
 * checks every call against the valid-usage rules of the mapping family and the compute chapters (and for the
 * host-access hazards of mapped memory), and forwards only calls that
 * break none. Wrap a device before using it: objects made through the bare device are unknown to the
 * layer.
 */
export function withValidation(device: Device, options: ValidationLayerOptions = {}): Device {
  checkOptions(options);
  return new ValidatedDevice(device, options);
}

function checkOptions(options: ValidationLayerOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new VkmapArgumentError('options', 'must be an object of ValidationLayerOptions');
  }
  const { mode, onReport, duplicateLimit } = options;
  if (mode !== undefined && mode !== 'throw' && mode !== 'report') {
    throw new VkmapArgumentError('options.mode', `must be 'throw' or 'report' (got ${String(mode)})`);
  }
  if (mode === 'report' && typeof onReport !== 'function') {
    throw new VkmapArgumentError('options.onReport', "is required in 'report' mode: it receives each report");
  }
  if (
    duplicateLimit !== undefined &&
    !(duplicateLimit === Infinity || (Number.isInteger(duplicateLimit) && duplicateLimit >= 0))
  ) {
    throw new VkmapArgumentError(
      'options.duplicateLimit',
      `must be a whole number >= 0 or Infinity (got ${String(duplicateLimit)})`,
    );
  }
}
