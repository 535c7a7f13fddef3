export * from './chain.js';
export * from './features.js';
export * from './limits.js';
