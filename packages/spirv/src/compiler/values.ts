// How SPIR-V values and pointers look in generated JavaScript.
//
// Values: a scalar is one JS variable or literal; a vector is scalarised into one variable per component;
// structs, arrays and matrices are JS arrays (nested; vectors inside them are arrays of scalars), treated as
// immutable (OpCompositeInsert copies along the path).
//
// Pointers exist only at compile time: into memory (a region plus a byte offset expression), into a register
// variable (a Function variable kept in JS locals), or to a built-in input.
import type { TypeLayout } from '../layout.js';

export type JsValue =
  | { readonly k: 'scalar'; readonly e: string }
  | { readonly k: 'vector'; readonly c: readonly string[] }
  | { readonly k: 'object'; readonly e: string }
  | { readonly k: 'pointer'; readonly p: Pointer };

/** JS names of a memory region's views and size. `staticSize` when the size is known at compile time. */
export interface RegionRef {
  readonly obj: string;
  readonly u: string;
  readonly i: string;
  readonly f: string;
  readonly n: string;
  readonly staticSize: number | undefined;
}

export type Pointer =
  | {
      readonly kind: 'memory';
      readonly region: RegionRef;
      /** A literal, an identifier, or `sb + K`: cheap to repeat. */
      readonly offset: string;
      readonly layout: TypeLayout;
      /** For messages: `Data.values[]`. */
      readonly path: string;
      /** Dynamic index expressions of the access chain, for out-of-bounds messages. */
      readonly indices: readonly string[];
      /** Set when the pointer is to a column of a row-major matrix (its elements are `stride` apart). */
      readonly rowMajorColumn?: { readonly count: number; readonly stride: number };
    }
  | {
      readonly kind: 'register';
      /** Variable name (scalar) or prefix (`r12` for `r12_0`, `r12_1`...). */
      readonly base: string;
      /** Components of the variable when it is a vector, 0 for a scalar. */
      readonly count: number;
      /** A component of a vector variable. */
      readonly component: number | undefined;
    }
  | {
      readonly kind: 'builtin';
      readonly builtIn: number;
      /** JS expressions of the built-in's components. */
      readonly components: readonly string[];
      /** A component selected by an access chain (a literal or an expression). */
      readonly component: string | undefined;
    };

export function literal(value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Object.is(value, -0)) return '(-0)';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '(-Infinity)';
  return value < 0 ? `(${value})` : String(value);
}

/** A JS expression building a nested constant value. */
export function literalTree(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literalTree).join(', ')}]`;
  return literal(value as number | boolean);
}

export function isLiteralNumber(expression: string): boolean {
  return /^\(?-?\d+\)?$/.test(expression);
}

export function literalNumber(expression: string): number {
  return Number(expression.replace(/[()]/g, ''));
}

/** `a + b` with literal folding. */
export function addOffset(a: string, b: number | string): string {
  if (typeof b === 'number') {
    if (b === 0) return a;
    if (isLiteralNumber(a)) return String(literalNumber(a) + b);
    return `${a} + ${b}`;
  }
  if (isLiteralNumber(a) && literalNumber(a) === 0) return b;
  return `${a} + ${b}`;
}
