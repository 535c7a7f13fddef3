/**
 * Stacking the validation layer of @vkmap/core on a backend's device in report mode, collecting every
 * report, so that a valid scenario can assert it produced none.
 */
import { withValidation } from '@vkmap/core';
import type { Device, ValidationLayerOptions, ValidationReport } from '@vkmap/core';

export type ValidationLayerFactory = (device: Device, options: ValidationLayerOptions) => Device;

/** The layer the stacked variant of the suite puts on each device. */
export const validationLayer: ValidationLayerFactory = withValidation;

export function formatReports(reports: readonly ValidationReport[]): string {
  return reports
    .map((report) => `  ${report.command}: ${report.failures.map((f) => `[${f.vuid}] ${f.message}`).join('; ')}`)
    .join('\n');
}
