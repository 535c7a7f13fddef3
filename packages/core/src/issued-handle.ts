/**
 * The base of every handle the checked front issues (memory objects and the objects of the compute chapters).
 * Each carries, in a private slot, which handle table it is live in or that it was retired: the front's
 * registry reads that slot instead of keeping a weak map entry per handle, which the garbage collector pays
 * for on every allocate and free. A private slot stays writable when the handle is frozen, cannot be forged
 * (only the constructor adds it) and is read without running any code of the object's (a Proxy answers no).
 */
const RETIRED = Symbol('retired');

let ownerSlot: (value: object) => object | undefined;
let retiredSlot: (value: object) => boolean;
let setSlot: (value: object, state: object | typeof RETIRED) => void;

export class IssuedHandle {
  #state: object | typeof RETIRED | undefined = undefined;

  static {
    ownerSlot = (value) => (#state in value && value.#state !== RETIRED ? value.#state : undefined);
    retiredSlot = (value) => #state in value && value.#state === RETIRED;
    setSlot = (value, state) => {
      if (!(#state in value)) throw new TypeError('only handles the checked front issued are recorded here');
      value.#state = state;
    };
  }
}

/** The table `value` is live in, where it is a handle the front issued and still live. */
export function issuedHandleOwner(value: object): object | undefined {
  return ownerSlot(value);
}

/** Whether `value` is a handle the front issued and retired (freed or destroyed). */
export function isIssuedHandleRetired(value: object): boolean {
  return retiredSlot(value);
}

/** Records that the issued handle `value` is live in `table`. */
export function adoptIssuedHandle(value: object, table: object): void {
  setSlot(value, table);
}

/** Records that the issued handle `value` was freed or destroyed; it is never live again. */
export function retireIssuedHandle(value: object): void {
  setSlot(value, RETIRED);
}
