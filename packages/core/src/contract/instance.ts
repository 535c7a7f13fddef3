/** The initialization chapter: what an instance is created with and what it reports about itself. */

export interface InstanceCreateInfo {
  /** The highest Vulkan version the application uses; defaults to the highest the backend offers. */
  readonly apiVersion?: number;
}

/**
 * What every instance has, whatever the chapters that use it (see `Instance` in devices.ts). An instance is
 * the root of its objects: destroying it destroys its devices first.
 */
export interface InstanceBase {
  /** Which backend this is, for printing only ("emulated", "native"). */
  readonly backendName: string;
  readonly apiVersion: number;
  readonly isDestroyed: boolean;
  /**
   * Destroys every device still alive (ending their mappings and reservations), then the instance. Every
   * other method of the instance, of its physical devices and of its devices then throws `VkmapStateError`.
   * Destroying a destroyed instance does nothing.
   */
  destroy(): void;
}
