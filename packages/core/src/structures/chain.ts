/** `pNext` chains: the base structure every chained structure extends, and the one walker of chains. */

/** Any structure of a `pNext` chain: Vulkan's VkBaseInStructure. */
export interface BaseInStructure {
  readonly sType: number;
  readonly pNext?: BaseInStructure | null;
}

/** Longest chain vkmap walks; a longer one is a cycle or garbage, and is refused as such. */
export const MAX_CHAIN_LENGTH = 16;

/** Finds the first structure with `sType` in a `pNext` chain (at most MAX_CHAIN_LENGTH structures). */
export function findInChain<T extends BaseInStructure>(
  chain: BaseInStructure | null | undefined,
  sType: number,
): T | undefined {
  let s = chain;
  for (let i = 0; s && i < MAX_CHAIN_LENGTH; i++, s = s.pNext) {
    if (s.sType === sType) return s as T;
  }
  return undefined;
}
