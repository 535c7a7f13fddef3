/**
 * The contract: interfaces only, one file per chapter of the specification. Backends do not implement it
 * directly: they implement the narrow backend interface (../backend), and the checked front (../front)
 * serves this contract over them.
 */
export type * from './instance.js';
export type * from './physical-device.js';
export type * from './memory.js';
export type * from './resources.js';
export type * from './pipelines.js';
export type * from './commands.js';
export type * from './devices.js';
