/** The errors of the native backend, and the translation of the addon's errors into @vkmap/core's. */
import { VkError, VkmapArgumentError, VkmapError, VkmapStateError } from '@vkmap/core';

/**
 * The native backend cannot run here: the addon is not built, the Vulkan loader or a driver is missing,
 * or no physical device exists. The message says what to install or build.
 */
export class NativeUnavailableError extends VkmapError {
  override name = 'NativeUnavailableError';

  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

interface AddonError extends Error {
  vkmapKind: 'vk' | 'state' | 'argument' | 'unavailable';
  command?: string;
  vkResult?: number;
  argument?: string;
  detail?: string;
}

function isAddonError(error: unknown): error is AddonError {
  return error instanceof Error && typeof (error as Partial<AddonError>).vkmapKind === 'string';
}

/** Turns an error thrown by the addon into the @vkmap/core class it stands for; others pass unchanged. */
export function translateError(error: unknown): unknown {
  if (!isAddonError(error)) return error;
  switch (error.vkmapKind) {
    case 'vk':
      return new VkError(error.command ?? 'unknown command', error.vkResult ?? -13, error.detail || undefined);
    case 'state':
      return new VkmapStateError(error.message);
    case 'argument':
      return new VkmapArgumentError(error.argument ?? 'argument', error.detail ?? error.message);
    case 'unavailable':
      return new NativeUnavailableError(error.message);
  }
}

/** Runs an addon call, rethrowing its errors as @vkmap/core errors. */
export function callAddon<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw translateError(error);
  }
}
