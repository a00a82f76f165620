import type { RuleMeta } from '../types';

// Raised by the engine for files it would check but did not read: larger than maxFileSizeKb,
// binary, a named pipe or device, a symlink leading outside the checked folder. A note, so a
// CI report says what it did not look at instead of silently passing it.
export const fileSkipped: RuleMeta = {
  id: 'opsreview/file-skipped',
  description: 'A file OpsReview would check was skipped unread (too large, binary, not a regular file, or a symlink leading outside the checked folder).',
  defaultSeverity: 'info',
  // In profile `all`: judged noise on every unseen repository (encrypted or generated files, images);
  // the skip count after the findings and `opsreview files` still say what was not read.
  profile: 'all',
  practice: 'valid-configuration',
  kinds: [],
};
