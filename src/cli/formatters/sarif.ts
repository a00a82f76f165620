import { docsUrl } from '../../engine/docs';
import { fingerprintOf } from '../../engine/fingerprint';
import type { Severity } from '../../engine/types';
import type { Finding, SuppressedFinding } from '../../engine/types';
import { FormatInput, suppressedByText, toCliFinding } from './types';

// SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules that ran with help URIs
// and their practice and equivalent checks of other tools in `properties`, and results with
// paths relative to %SRCROOT%.

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(input: FormatInput): string {
  const rules = [...input.rules].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'OpsReview',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            informationUri: 'https://github.com/opsreview/opsreview',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              helpUri: docsUrl(r.id, input.docsBaseUrl),
              help: { text: `${r.description} See ${docsUrl(r.id, input.docsBaseUrl)}`, markdown: `${r.description}\n\n[Rule documentation](${docsUrl(r.id, input.docsBaseUrl)})` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              properties: {
                tags: ['operations', r.practice, r.id.split('/')[0]],
                practice: r.practice,
                ...(r.equivalents?.length ? { equivalents: r.equivalents.map((e) => ({ tool: e.tool, id: e.id })) } : {}),
              },
            })),
          },
        },
        // What was not checked, and why: SARIF's place for notes about the run itself.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (input.skipped ?? []).map((s) => ({
              level: 'note',
              message: { text: `Skipped ${s.kind} ${s.relPath}: ${s.reason}` },
              descriptor: { id: `skipped/${s.code}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(s.relPath), uriBaseId: '%SRCROOT%' } } }],
            })).concat(
              (input.baseline?.unmatched ?? []).map((e) => ({
                level: 'note',
                message: { text: `Baseline entry matches no finding now (fixed, or changed into a new finding): ${e.ruleId} at ${e.file}:${e.line}: ${e.message}` },
                descriptor: { id: 'baseline/unused-entry' },
                locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(e.file), uriBaseId: '%SRCROOT%' } } }],
              })),
            ),
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(input.root) + '/' } },
        columnKind: 'utf16CodeUnits',
        // Findings another tool's comment suppressed are results with an external suppression
        // naming that comment, so code scanning shows them as suppressed, not as gone.
        results: [...input.findings, ...(input.suppressed ?? [])].map((f: Finding | SuppressedFinding) => {
          const c = toCliFinding(input.root, f);
          const by = 'suppressedBy' in f ? f : undefined;
          return {
            ruleId: c.ruleId,
            ...(ruleIndex.has(c.ruleId) ? { ruleIndex: ruleIndex.get(c.ruleId) } : {}),
            level: LEVEL[c.severity],
            message: { text: c.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(c.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: c.line, startColumn: c.column, endLine: c.endLine, endColumn: Math.max(c.endColumn, c.endLine === c.line ? c.column : 1) },
                },
              },
            ],
            // The baseline's identity: rule, file, subject and the finding's own line, not its number.
            partialFingerprints: { 'opsreview/v2': fingerprintOf(f, input.root) },
            ...(by ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `Suppressed by ${suppressedByText(input.root, by)}` }] } : {}),
          };
        }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function pathToFileUri(p: string): string {
  return 'file://' + encodeURI(p.startsWith('/') ? p : '/' + p);
}
