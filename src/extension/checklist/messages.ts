import { z } from 'zod';

// Messages from the checklist webview to the extension. The webview is UI only and its content
// is not trusted: every message is parsed here before anything acts on it.

const itemId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/).max(100);

export const zWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('exportMarkdown') }),
  z.object({ type: z.literal('openRunFile') }),
  z.object({ type: z.literal('setItem'), item: itemId, state: z.enum(['done', 'waived', 'open']), note: z.string().max(2000).optional() }),
  z.object({ type: z.literal('openFinding'), file: z.string().min(1).max(1000), line: z.number().int().min(1).nullable() }),
  z.object({ type: z.literal('openRuleDocs'), ruleId: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/) }),
  z.object({ type: z.literal('openItemDocs'), item: itemId }),
  /** What is typed in a note and not written yet (null: nothing unsaved), so closing the panel cannot lose it. */
  z.object({ type: z.literal('draft'), item: itemId, note: z.string().max(2000).nullable() }),
]);
export type WebviewMessage = z.infer<typeof zWebviewMessage>;
