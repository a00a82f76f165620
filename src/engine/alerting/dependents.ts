import type { IndexedFile } from '../model';
import type { FileKind } from '../types';

// Kinds whose findings read every file of another kind, so a change to one re-lints the others:
// Alertmanager configurations are judged against every alert rule (severity-unrouted,
// critical-not-paging); a workload's PodDisruptionBudget may live in any manifest (pdb-missing);
// an OpenSLO alert policy may be defined in another SLO file (burn-rate-alert-missing); an image
// may be scanned by another workflow (scan-missing).
export function crossKindDependents(file: IndexedFile): FileKind[] {
  const text = file.parsed.text;
  switch (file.kind) {
    case 'alert-rules':
      return ['alertmanager-config'];
    case 'k8s-manifest':
      return [...(text.includes('PrometheusRule') ? (['alertmanager-config'] as const) : []), ...(text.includes('PodDisruptionBudget') ? (['k8s-manifest'] as const) : [])];
    case 'slo-spec':
      return ['slo-spec'];
    case 'github-workflow':
    case 'gitlab-ci':
    case 'cloud-build':
      // deploy/scan-missing accepts a scan in another workflow of the repository.
      return ['github-workflow', 'gitlab-ci', 'cloud-build'];
    default:
      return [];
  }
}
