// Constant values, after specialization. A value is a boolean, a number (int32 for signed integer types,
// uint32 for unsigned ones, a float32-exact number for floats), or an array of values for vectors, matrices
// (columns), arrays and structs (members).
import { SpirvError } from './errors.js';
import { decorationValue, type SpirvModule, typeOf } from './module.js';
import { Decoration, Op, opcodeName } from './opcodes.js';
import * as s from './scalar.js';

export type Value = number | boolean | Value[];

/** Specialization values by SpecId. Numbers and bigints are converted to the constant's type; booleans to bool. */
export type Specialization = ReadonlyMap<number, number | bigint | boolean>;

/** The value of a scalar constant of type `typeId` whose literal word is `bits`. */
export function scalarFromBits(module: SpirvModule, typeId: number, bits: number): number | boolean {
  const type = typeOf(module, typeId);
  switch (type.kind) {
    case 'bool':
      return bits !== 0;
    case 'int':
      return type.signed ? bits | 0 : bits >>> 0;
    case 'float':
      return s.bitsFloat(bits);
    default:
      throw new SpirvError(`a scalar constant of non-scalar type ${typeId}`);
  }
}

/** Converts a value given for a specialization constant to the constant's type. */
export function scalarFromSpecialization(
  module: SpirvModule,
  typeId: number,
  given: number | bigint | boolean,
  specId: number,
): number | boolean {
  const type = typeOf(module, typeId);
  if (type.kind === 'bool') return typeof given === 'boolean' ? given : given !== 0 && given !== 0n;
  if (typeof given === 'boolean') throw new SpirvError(`specialization constant ${specId} is not a boolean`);
  const number = typeof given === 'bigint' ? Number(BigInt.asUintN(32, given)) : given;
  if (type.kind === 'int') return type.signed ? number | 0 : number >>> 0;
  if (type.kind === 'float') return Math.fround(number);
  throw new SpirvError(`specialization constant ${specId} has a non-scalar type`);
}

/** The all-zero value of a type (OpConstantNull; also used for OpUndef, see the README). */
export function zeroValue(module: SpirvModule, typeId: number, constantValue: (id: number) => Value): Value {
  const type = typeOf(module, typeId);
  switch (type.kind) {
    case 'bool':
      return false;
    case 'int':
    case 'float':
      return 0;
    case 'vector':
      return Array.from({ length: type.count }, () => zeroValue(module, type.component, constantValue));
    case 'matrix':
      return Array.from({ length: type.columns }, () => zeroValue(module, type.column, constantValue));
    case 'array':
      return Array.from({ length: arrayLength(constantValue(type.length)) }, () =>
        zeroValue(module, type.element, constantValue),
      );
    case 'struct':
      return type.members.map((member) => zeroValue(module, member, constantValue));
    default:
      throw new SpirvError(`no zero value for a ${type.kind} type`);
  }
}

export function arrayLength(value: Value): number {
  if (typeof value !== 'number' || value < 1)
    throw new SpirvError(`an array length must be a positive integer; got ${String(value)}`);
  return value;
}

function resultSigned(module: SpirvModule, typeId: number): boolean {
  const type = typeOf(module, typeId);
  const scalar = type.kind === 'vector' ? typeOf(module, type.component) : type;
  return scalar.kind === 'int' && scalar.signed;
}

/**
 * Evaluates every constant of the module (specialization constants with `specialization` applied) and returns
 * a lookup by id. Lazily evaluated and memoised, so constants are evaluated in dependency order.
 */
export function evaluateConstants(
  module: SpirvModule,
  specialization: Specialization = new Map(),
): (id: number) => Value {
  const values = new Map<number, Value>();
  const evaluating = new Set<number>();

  const constantValue = (id: number): Value => {
    const known = values.get(id);
    if (known !== undefined) return known;
    const decl = module.constants.get(id);
    if (!decl) throw new SpirvError(`id ${id} is not a constant`);
    if (evaluating.has(id)) throw new SpirvError(`constant ${id} depends on itself`);
    evaluating.add(id);
    let value: Value;
    switch (decl.kind) {
      case 'scalar': {
        const specId = decl.spec ? decorationValue(module, id, Decoration.SpecId) : undefined;
        const given = specId === undefined ? undefined : specialization.get(specId);
        value =
          given === undefined
            ? scalarFromBits(module, decl.type, decl.bits)
            : scalarFromSpecialization(module, decl.type, given, specId!);
        break;
      }
      case 'composite':
        value = decl.constituents.map(constantValue);
        break;
      case 'null':
      case 'undef':
        value = zeroValue(module, decl.type, constantValue);
        break;
      case 'op':
        value = evaluateSpecOp(module, decl.type, decl.opcode, decl.operands, constantValue);
        break;
    }
    evaluating.delete(id);
    values.set(id, value);
    return value;
  };
  return constantValue;
}

/** Applies a scalar function componentwise over vectors. */
function map(values: Value[], f: (...scalars: (number | boolean)[]) => number | boolean): Value {
  const vector = values.find(Array.isArray) as Value[] | undefined;
  if (!vector) return f(...(values as (number | boolean)[]));
  return vector.map((_, i) => f(...values.map((v) => (Array.isArray(v) ? v[i] : v) as number | boolean)));
}

function evaluateSpecOp(
  module: SpirvModule,
  typeId: number,
  opcode: number,
  operands: readonly number[],
  constantValue: (id: number) => Value,
): Value {
  const signed = resultSigned(module, typeId);
  const int = (x: number) => (signed ? x | 0 : x >>> 0);
  const args = () => operands.map(constantValue);
  const n = (f: (a: number, b: number) => number) => map(args(), (a, b) => int(f(a as number, b as number)));
  const cmp = (f: (a: number, b: number) => boolean) => map(args(), (a, b) => f(a as number, b as number));
  switch (opcode) {
    case Op.SConvert:
    case Op.UConvert:
      return map(args(), (a) => int(a as number));
    case Op.SNegate:
      return map(args(), (a) => int(-(a as number)));
    case Op.Not:
      return map(args(), (a) => int(~(a as number)));
    case Op.IAdd:
      return n((a, b) => a + b);
    case Op.ISub:
      return n((a, b) => a - b);
    case Op.IMul:
      return n((a, b) => Math.imul(a, b));
    case Op.UDiv:
      return n(s.udiv);
    case Op.SDiv:
      return n(s.sdiv);
    case Op.UMod:
      return n(s.umod);
    case Op.SRem:
      return n(s.srem);
    case Op.SMod:
      return n(s.smod);
    case Op.ShiftRightLogical:
      return n((a, b) => a >>> b);
    case Op.ShiftRightArithmetic:
      return n((a, b) => a >> b);
    case Op.ShiftLeftLogical:
      return n((a, b) => a << b);
    case Op.BitwiseOr:
      return n((a, b) => a | b);
    case Op.BitwiseXor:
      return n((a, b) => a ^ b);
    case Op.BitwiseAnd:
      return n((a, b) => a & b);
    case Op.LogicalOr:
      return map(args(), (a, b) => (a as boolean) || (b as boolean));
    case Op.LogicalAnd:
      return map(args(), (a, b) => (a as boolean) && (b as boolean));
    case Op.LogicalNot:
      return map(args(), (a) => !a);
    case Op.LogicalEqual:
      return map(args(), (a, b) => a === b);
    case Op.LogicalNotEqual:
      return map(args(), (a, b) => a !== b);
    case Op.IEqual:
      return cmp((a, b) => (a | 0) === (b | 0));
    case Op.INotEqual:
      return cmp((a, b) => (a | 0) !== (b | 0));
    case Op.ULessThan:
      return cmp((a, b) => a >>> 0 < b >>> 0);
    case Op.SLessThan:
      return cmp((a, b) => (a | 0) < (b | 0));
    case Op.UGreaterThan:
      return cmp((a, b) => a >>> 0 > b >>> 0);
    case Op.SGreaterThan:
      return cmp((a, b) => (a | 0) > (b | 0));
    case Op.ULessThanEqual:
      return cmp((a, b) => a >>> 0 <= b >>> 0);
    case Op.SLessThanEqual:
      return cmp((a, b) => (a | 0) <= (b | 0));
    case Op.UGreaterThanEqual:
      return cmp((a, b) => a >>> 0 >= b >>> 0);
    case Op.SGreaterThanEqual:
      return cmp((a, b) => (a | 0) >= (b | 0));
    case Op.Select: {
      const [c, a, b] = args() as [Value, Value, Value];
      if (Array.isArray(c)) return c.map((ci, i) => (ci ? (a as Value[])[i]! : (b as Value[])[i]!));
      return c ? a : b;
    }
    case Op.QuantizeToF16:
      return map(args(), (a) => s.quantizeToF16(a as number));
    case Op.CompositeExtract: {
      let value = constantValue(operands[0]!);
      for (const index of operands.slice(1)) value = (value as Value[])[index]!;
      return value;
    }
    case Op.CompositeInsert: {
      const insert = (into: Value, path: readonly number[], object: Value): Value => {
        if (path.length === 0) return object;
        const copy = [...(into as Value[])];
        copy[path[0]!] = insert(copy[path[0]!]!, path.slice(1), object);
        return copy;
      };
      return insert(constantValue(operands[1]!), operands.slice(2), constantValue(operands[0]!));
    }
    case Op.VectorShuffle: {
      const a = constantValue(operands[0]!) as Value[];
      const b = constantValue(operands[1]!) as Value[];
      return operands.slice(2).map((i) => (i === 0xffffffff ? 0 : i < a.length ? a[i]! : b[i - a.length]!));
    }
    default:
      throw new SpirvError(`OpSpecConstantOp with ${opcodeName(opcode)} is not supported`, {
        opcodeName: opcodeName(opcode),
      });
  }
}

/** One VkSpecializationMapEntry. */
export interface SpecializationMapEntry {
  readonly constantID: number;
  readonly offset: number;
  readonly size: number;
}

/**
 * Reads specialization values the way Vulkan passes them (VkSpecializationInfo: map entries into a byte block)
 * into the map `compileComputePipeline` takes. Each value is read with the type of the module's specialization
 * constant of that SpecId (booleans as a 32-bit VkBool32, or a single byte); entries naming no constant of the
 * module are ignored, as Vulkan specifies.
 */
export function specializationFromBytes(
  module: SpirvModule,
  entries: readonly SpecializationMapEntry[],
  data: Uint8Array,
): Map<number, number | boolean> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const typeBySpecId = new Map<number, number>();
  for (const [id, constant] of module.constants) {
    const specId = constant.spec ? decorationValue(module, id, Decoration.SpecId) : undefined;
    if (specId !== undefined) typeBySpecId.set(specId, constant.type);
  }
  const values = new Map<number, number | boolean>();
  for (const entry of entries) {
    const typeId = typeBySpecId.get(entry.constantID);
    if (typeId === undefined) continue;
    if (entry.offset + entry.size > data.byteLength) {
      throw new SpirvError(
        `specialization entry for constant ${entry.constantID} reads bytes ${entry.offset}..${entry.offset + entry.size - 1} of ${data.byteLength}`,
      );
    }
    const type = typeOf(module, typeId);
    if (type.kind === 'bool') {
      values.set(
        entry.constantID,
        entry.size === 1 ? view.getUint8(entry.offset) !== 0 : view.getUint32(entry.offset, true) !== 0,
      );
      continue;
    }
    if (entry.size !== 4)
      throw new SpirvError(
        `specialization constant ${entry.constantID} is 32-bit; its map entry has size ${entry.size}`,
      );
    const bits = view.getUint32(entry.offset, true);
    values.set(entry.constantID, scalarFromBits(module, typeId, bits) as number);
  }
  return values;
}
