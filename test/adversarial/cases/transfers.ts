/**
 * Moving a mapped view's ArrayBuffer: structuredClone / MessageChannel with a transfer list,
 * ArrayBuffer.prototype.transfer.call(buffer[, 16]), transferToFixedLength, and markAsUntransferable(buffer)
 * followed by unmap / free. Each must be refused or make a copy: the live mapping keeps its view and bytes,
 * and unmap and free still work afterwards.
 */
import { MessageChannel, markAsUntransferable } from 'node:worker_threads';
import { VK_WHOLE_SIZE } from '@vkmap/core';
import { attempt, classify, open, type OpenParams } from './common.js';
import type { TRANSFER_METHODS } from './names.js';

export type TransferMethod = (typeof TRANSFER_METHODS)[number];

type Moving = (this: ArrayBuffer, length?: number) => ArrayBuffer;

export async function transfer(p: OpenParams & { method: TransferMethod }) {
  const { instance, device, hostVisibleType } = open(p);
  const memory = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: hostVisibleType });
  const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
  mapping.data[0] = 42;
  const buffer = mapping.data.buffer;
  let second: ArrayBuffer | undefined;
  let outcome = 'ok';
  const prototype = ArrayBuffer.prototype as unknown as Record<string, Moving | undefined>;
  try {
    switch (p.method) {
      case 'structuredClone':
        second = structuredClone(buffer, { transfer: [buffer] });
        break;
      case 'messageChannel': {
        const { port1, port2 } = new MessageChannel();
        // The receiving side may refuse to deserialize ('messageerror'); nothing at all within 3 s is a drop.
        const received = new Promise<ArrayBuffer | string>((resolve) => {
          port2.once('message', resolve);
          port2.once('messageerror', (error: Error) => resolve(`messageerror:${error.name}`));
          setTimeout(() => resolve('dropped'), 3000).unref();
        });
        try {
          port1.postMessage(buffer, [buffer]);
          const got = await received;
          if (typeof got === 'string') outcome = got;
          else second = got;
        } finally {
          port1.close();
          port2.close();
        }
        break;
      }
      case 'prototypeTransfer':
      case 'prototypeTransfer16':
      case 'transferToFixedLength': {
        const name = p.method === 'transferToFixedLength' ? 'transferToFixedLength' : 'transfer';
        const method = prototype[name];
        if (!method) {
          outcome = 'unsupported';
          break;
        }
        second = p.method === 'prototypeTransfer16' ? method.call(buffer, 16) : method.call(buffer);
        break;
      }
      case 'markAsUntransferable+unmap':
      case 'markAsUntransferable+free':
        markAsUntransferable(buffer);
        break;
    }
  } catch (error) {
    outcome = error instanceof DOMException ? `DOMException:${error.name}` : classify(error);
  }
  // A second buffer must be a copy: a write through it never reaches the mapped bytes.
  let copy: boolean | null = null;
  if (second && second.byteLength > 0) {
    const bytes = new Uint8Array(second);
    bytes[0] = 99;
    copy = mapping.data[0] === 42;
  }
  const keptBytes = mapping.isMapped ? mapping.data[0] : null;
  const keptLength = mapping.isMapped ? mapping.data.byteLength : null;
  const unmap = p.method === 'markAsUntransferable+free' ? 'skipped' : attempt(() => device.unmapMemory(memory));
  const free = attempt(() => device.freeMemory(memory));
  const destroy = attempt(() => instance.destroy());
  return {
    outcome,
    secondLength: second?.byteLength ?? null,
    copy,
    mappedAfter: keptLength !== null,
    keptBytes,
    keptLength,
    unmap,
    free,
    destroy,
  };
}
