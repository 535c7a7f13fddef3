import { HostMapping, type HostMappingInit } from '@vkmap/core';

/** A live emulated mapping: core's mapping plus the address run it occupies in the host address space. */
export class EmulatedMappedMemory extends HostMapping {
  readonly run: { readonly start: bigint; readonly length: bigint };

  constructor(init: HostMappingInit & { run: { start: bigint; length: bigint } }) {
    super(init);
    this.run = init.run;
  }
}
