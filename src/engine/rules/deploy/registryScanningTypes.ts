import type { IndexedFile } from '../../model';
import type { FileKind } from '../../types';

/** What registryScanning needs of the workspace index. */
export interface WorkspaceIndexLike {
  byKind(...kinds: FileKind[]): IndexedFile[];
}
