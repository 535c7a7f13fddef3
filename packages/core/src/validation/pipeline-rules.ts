/**
 * Rules of a compute pipeline against its layout, from the shader's resource interface (the layer reflects the
 * SPIR-V with `ValidationLayerOptions.reflectShader`): every binding the entry point uses is a binding of the
 * layout visible to the compute stage (07988), of the type (07990) and with as many descriptors (07991) as the
 * shader declares; its push constant block has a range for the compute stage (07987) that holds it (10069).
 */
import { VkDescriptorType, VkShaderStageFlagBits } from '../constants.js';
import type { PipelineLayoutShape } from '../front/records.js';
import type { ShaderEntryPointInterface } from '../validation-options.js';
import type { FailureList } from './report.js';

const { VK_SHADER_STAGE_COMPUTE_BIT } = VkShaderStageFlagBits;

function typeName(type: number): string {
  const entry = Object.entries(VkDescriptorType).find(([, value]) => value === type);
  return entry ? entry[0].replace('VK_DESCRIPTOR_TYPE_', '').toLowerCase().replace('_', ' ') : `type ${type}`;
}

/** Checks `entryPoint` (pCreateInfos[index].stage) against `layout`, adding what it breaks to `failures`. */
export function checkShaderAgainstLayout(
  failures: FailureList,
  entryPoint: ShaderEntryPointInterface,
  layout: PipelineLayoutShape,
  at: string,
): void {
  const name = `${at}.stage entry point "${entryPoint.name}"`;
  for (const used of entryPoint.bindings) {
    const where = `set ${used.set} binding ${used.binding}`;
    const setLayout = layout.setLayouts[used.set];
    const binding = setLayout?.bindings.get(used.binding);
    if (!binding || (binding.stageFlags & VK_SHADER_STAGE_COMPUTE_BIT) === 0 || binding.descriptorCount === 0) {
      const why = !setLayout
        ? `${at}.layout has ${layout.setLayouts.length} set layouts, no set ${used.set}`
        : !binding
          ? `set ${used.set} of ${at}.layout has no binding ${used.binding}`
          : binding.descriptorCount === 0
            ? `binding ${used.binding} of set ${used.set} of ${at}.layout holds no descriptors`
            : `binding ${used.binding} of set ${used.set} of ${at}.layout is not visible to VK_SHADER_STAGE_COMPUTE_BIT (stageFlags 0x${binding.stageFlags.toString(16)})`;
      failures.add(
        'VUID-VkComputePipelineCreateInfo-layout-07988',
        `${name} uses ${where} (a ${typeName(used.descriptorType)}), but ${why}`,
      );
      continue;
    }
    if (binding.descriptorType !== used.descriptorType) {
      failures.add(
        'VUID-VkComputePipelineCreateInfo-layout-07990',
        `${name} declares ${where} a ${typeName(used.descriptorType)}, but the layout's binding is a ${typeName(binding.descriptorType)}`,
      );
    }
    if (binding.descriptorCount < used.descriptorCount) {
      failures.add(
        'VUID-VkComputePipelineCreateInfo-layout-07991',
        `${name} declares ${where} an array of ${used.descriptorCount} descriptors, but the layout's binding holds ${binding.descriptorCount}`,
      );
    }
  }
  const block = entryPoint.pushConstants;
  if (!block || block.size === 0) return;
  const ranges = layout.pushConstantRanges.filter((r) => (r.stageFlags & VK_SHADER_STAGE_COMPUTE_BIT) !== 0);
  const end = block.offset + block.size;
  if (ranges.length === 0) {
    failures.add(
      'VUID-VkComputePipelineCreateInfo-layout-07987',
      `${name} uses a push constant block (bytes [${block.offset}, ${end})), but ${at}.layout has no push constant range for VK_SHADER_STAGE_COMPUTE_BIT`,
    );
    return;
  }
  // Each 4-byte word of the block must lie in some range of the compute stage.
  for (let byte = block.offset - (block.offset % 4); byte < end; byte += 4) {
    if (!ranges.some((r) => r.offset <= byte && byte < r.offset + r.size)) {
      failures.add(
        'VUID-VkComputePipelineCreateInfo-layout-10069',
        `${name} uses push constant bytes [${block.offset}, ${end}), but the layout's ranges for the compute stage (${ranges.map((r) => `[${r.offset}, ${r.offset + r.size})`).join(', ')}) do not hold byte ${byte}`,
      );
      return;
    }
  }
}
