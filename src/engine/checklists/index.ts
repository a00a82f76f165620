// The checklist engine: schema, built-ins, evaluation, run files and the markdown summary.
// No vscode here: the CLI gate and the editor panel call the same functions.
export * from './evaluate';
export * from './load';
export * from './markdown';
export * from './runs';
export * from './schema';
