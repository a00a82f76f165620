import { z } from 'zod';

// Messages from the Service Overview webview to the extension. The webview is UI only and its
// content is not trusted: every message is parsed here before anything acts on it.

export const zServiceWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('open'), file: z.string().min(1).max(1000), line: z.number().int().min(1) }),
  z.object({ type: z.literal('runChecklist'), checklist: z.enum(['production-readiness', 'release-gate', 'security']) }),
]);
export type ServiceWebviewMessage = z.infer<typeof zServiceWebviewMessage>;
