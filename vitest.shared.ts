export { workspaceSourceAliases } from './scripts/workspace-aliases.mjs';
