import type { Rule } from '../types';
import { rule as backendMissing } from './backendMissing';
import { rule as backupMissing } from './backupMissing';
import { rule as hardcodedSecret } from './hardcodedSecret';
import { rule as iamPrimitiveRole } from './iamPrimitiveRole';
import { rule as iamWildcard } from './iamWildcard';
import { rule as logRetentionMissing } from './logRetentionMissing';
import { rule as moduleUnpinned } from './moduleUnpinned';
import { rule as openIngress } from './openIngress';
import { rule as preventDestroyMissing } from './preventDestroyMissing';
import { rule as providerUnpinned } from './providerUnpinned';
import { rule as publicBucket } from './publicBucket';
import { rule as tagsMissing } from './tagsMissing';
import { rule as tlsMissing } from './tlsMissing';
import { rule as unencryptedStorage } from './unencryptedStorage';
import { rule as wafMissing } from './wafMissing';

// The terraform rule pack: one module per rule, listed here in the order the README documents them.
export const terraformRules: Rule<any>[] = [
  tagsMissing,
  openIngress,
  publicBucket,
  unencryptedStorage,
  iamWildcard,
  iamPrimitiveRole,
  hardcodedSecret,
  preventDestroyMissing,
  moduleUnpinned,
  providerUnpinned,
  backupMissing,
  logRetentionMissing,
  backendMissing,
  tlsMissing,
  wafMissing,
];
