// The engine's navigation query API: workspace symbols, definitions, references, hovers,
// completions and the link edits of a file move. Plain functions of the index and config.
export { fileSymbolEntries, fuzzyScore, roleOfPath, searchSymbols, terraformByAddress } from './symbols';
export type { WorkspaceSymbolEntry, WorkspaceSymbolKind } from './symbols';
export { addressMentions, definitionAt, hoverAt, linksTo, moduleMainFile, referencesAt, referenceTarget, ruleIdAt, runbookSummary, runbooksNaming } from './locate';
export type { AddressMention, HoverOptions, NavHover, NavLocation } from './locate';
export { completionsAt } from './complete';
export type { NavCompletion } from './complete';
export { renameEdits } from './rename';
export type { FileMove } from './rename';
