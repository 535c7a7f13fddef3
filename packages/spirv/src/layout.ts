// Byte layouts of types in memory. Buffers (StorageBuffer, Uniform, PushConstant) use the explicit layout of
// the module's Offset / ArrayStride / MatrixStride / RowMajor decorations. Workgroup, Private and Function
// memory is not visible to the host, so it gets a packed natural layout: every 32-bit scalar takes 4 bytes,
// vectors and matrix columns are packed, array stride is the element size, struct members follow each other.
import { type Value, arrayLength } from './constants.js';
import { SpirvError } from './errors.js';
import { hasMemberDecoration, memberDecorationValue, type SpirvModule, typeOf } from './module.js';
import { Decoration } from './opcodes.js';

/** A scalar as stored: `bool` is a 32-bit word, non-zero meaning true. */
export type ScalarKind = 'u32' | 'i32' | 'f32' | 'bool';

export type TypeLayout =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind; readonly size: number }
  | { readonly kind: 'vector'; readonly scalar: ScalarKind; readonly count: number; readonly size: number }
  | {
      readonly kind: 'matrix';
      readonly scalar: ScalarKind;
      readonly columns: number;
      readonly rows: number;
      /** Bytes between columns (column-major) or rows (row-major). */
      readonly matrixStride: number;
      readonly rowMajor: boolean;
      readonly size: number;
    }
  | {
      readonly kind: 'array';
      readonly element: TypeLayout;
      readonly length: number;
      readonly stride: number;
      readonly size: number;
    }
  /** A runtime array: its length comes from the bound range; `size` is 0. */
  | { readonly kind: 'runtimeArray'; readonly element: TypeLayout; readonly stride: number; readonly size: 0 }
  | {
      readonly kind: 'struct';
      readonly name: string | undefined;
      readonly members: readonly MemberLayout[];
      readonly size: number;
    };

export interface MemberLayout {
  readonly name: string | undefined;
  readonly offset: number;
  readonly layout: TypeLayout;
  /** NonWritable / NonReadable on the member. */
  readonly nonWritable: boolean;
  readonly nonReadable: boolean;
}

export const WORD = 4;

interface MatrixDecorations {
  readonly matrixStride: number | undefined;
  readonly rowMajor: boolean;
}

export class Layouts {
  private readonly cache = new Map<string, TypeLayout>();

  constructor(
    private readonly module: SpirvModule,
    private readonly constantValue: (id: number) => Value,
  ) {}

  /** The layout of `typeId`: explicit (buffer memory) or natural (workgroup, private, function memory). */
  of(typeId: number, explicit: boolean, matrix?: MatrixDecorations): TypeLayout {
    const key = `${typeId}:${explicit ? `e${matrix?.matrixStride ?? ''}${matrix?.rowMajor ? 'r' : ''}` : 'n'}`;
    let layout = this.cache.get(key);
    if (!layout) {
      layout = this.compute(typeId, explicit, matrix);
      this.cache.set(key, layout);
    }
    return layout;
  }

  private compute(typeId: number, explicit: boolean, matrix: MatrixDecorations | undefined): TypeLayout {
    const module = this.module;
    const type = typeOf(module, typeId);
    switch (type.kind) {
      case 'bool':
        return { kind: 'scalar', scalar: 'bool', size: WORD };
      case 'int':
        return { kind: 'scalar', scalar: type.signed ? 'i32' : 'u32', size: WORD };
      case 'float':
        return { kind: 'scalar', scalar: 'f32', size: WORD };
      case 'vector': {
        const component = this.of(type.component, explicit);
        if (component.kind !== 'scalar') throw new SpirvError(`vector ${typeId} of a non-scalar component`);
        return { kind: 'vector', scalar: component.scalar, count: type.count, size: WORD * type.count };
      }
      case 'matrix': {
        const column = typeOf(module, type.column);
        if (column.kind !== 'vector') throw new SpirvError(`matrix ${typeId} of a non-vector column`);
        const scalar = (this.of(column.component, explicit) as { scalar: ScalarKind }).scalar;
        const rows = column.count;
        const rowMajor = explicit && matrix?.rowMajor === true;
        let matrixStride = WORD * (rowMajor ? type.columns : rows);
        if (explicit) {
          if (matrix?.matrixStride === undefined)
            throw new SpirvError(`matrix ${typeId} in a buffer needs a MatrixStride decoration on its member`);
          matrixStride = matrix.matrixStride;
        }
        const lines = rowMajor ? rows : type.columns;
        const lineSize = WORD * (rowMajor ? type.columns : rows);
        return {
          kind: 'matrix',
          scalar,
          columns: type.columns,
          rows,
          matrixStride,
          rowMajor,
          size: matrixStride * (lines - 1) + lineSize,
        };
      }
      case 'array': {
        const element = this.of(type.element, explicit, matrix);
        const length = arrayLength(this.constantValue(type.length));
        const stride = explicit ? this.arrayStride(typeId) : element.size;
        return { kind: 'array', element, length, stride, size: stride * length };
      }
      case 'runtimeArray': {
        const element = this.of(type.element, explicit, matrix);
        const stride = explicit ? this.arrayStride(typeId) : element.size;
        return { kind: 'runtimeArray', element, stride, size: 0 };
      }
      case 'struct': {
        const names = module.memberNames.get(typeId);
        let next = 0;
        let size = 0;
        const members = type.members.map((memberType, index): MemberLayout => {
          const matrixStride = memberDecorationValue(module, typeId, index, Decoration.MatrixStride);
          const rowMajor = hasMemberDecoration(module, typeId, index, Decoration.RowMajor);
          const layout = this.of(memberType, explicit, { matrixStride, rowMajor });
          let offset = next;
          if (explicit) {
            const declared = memberDecorationValue(module, typeId, index, Decoration.Offset);
            if (declared === undefined)
              throw new SpirvError(
                `member ${index} of struct ${module.names.get(typeId) ?? typeId} in a buffer has no Offset`,
              );
            offset = declared;
          }
          if (layout.kind === 'runtimeArray' && index !== type.members.length - 1) {
            throw new SpirvError(`a runtime array must be the last member of struct ${typeId}`);
          }
          next = offset + layout.size;
          size = Math.max(size, next);
          return {
            name: names?.get(index),
            offset,
            layout,
            nonWritable: hasMemberDecoration(module, typeId, index, Decoration.NonWritable),
            nonReadable: hasMemberDecoration(module, typeId, index, Decoration.NonReadable),
          };
        });
        return { kind: 'struct', name: module.names.get(typeId), members, size };
      }
      default:
        throw new SpirvError(`a ${type.kind} type has no memory layout`);
    }
  }

  private arrayStride(typeId: number): number {
    const stride = (this.module.decorations.get(typeId) ?? []).find((d) => d.decoration === Decoration.ArrayStride)
      ?.operands[0];
    if (stride === undefined) throw new SpirvError(`array type ${typeId} in a buffer has no ArrayStride`);
    return stride;
  }
}

/** True when every scalar of the layout is a 32-bit word at a 4-byte aligned offset (all this package supports). */
export function isWordAligned(layout: TypeLayout): boolean {
  switch (layout.kind) {
    case 'scalar':
    case 'vector':
      return true;
    case 'matrix':
      return layout.matrixStride % WORD === 0;
    case 'array':
    case 'runtimeArray':
      return layout.stride % WORD === 0 && isWordAligned(layout.element);
    case 'struct':
      return layout.members.every((m) => m.offset % WORD === 0 && isWordAligned(m.layout));
  }
}
