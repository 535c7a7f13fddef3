export * from './vk-result.js';
export * from './constants.js';
export * from './errors.js';
export * from './device-size.js';
export * from './structures.js';
export * from './commands.js';
export type * from './contract.js';
export type * from './validation-options.js';
export * from './validation/index.js';
