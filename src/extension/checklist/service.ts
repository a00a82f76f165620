import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  checked,
  ChecklistEvaluateResult,
  ChecklistSetItemResult,
  ChecklistSummary,
  Requests,
  zChecklistEvaluateResult,
  zChecklistSetItemResult,
  zChecklistsResult,
} from '../../server/protocol';

// The checklist requests of the language server, with their answers checked against the protocol.
export class ChecklistService {
  constructor(private readonly client: LanguageClient) {}

  get running(): boolean {
    return this.client.state === State.Running;
  }

  async list(): Promise<ChecklistSummary[]> {
    if (!this.running) return [];
    return checked(zChecklistsResult, await this.client.sendRequest(Requests.checklists, {}), 'checklists result').checklists;
  }

  /** `create`: write the run's empty file first when it does not exist (a new run). */
  async evaluate(folder: string, checklist: string, run: string, create = false): Promise<ChecklistEvaluateResult> {
    return checked(zChecklistEvaluateResult, await this.client.sendRequest(Requests.checklistEvaluate, { folder, checklist, run, ...(create ? { create } : {}) }), 'checklist evaluate result');
  }

  async setItem(params: { folder: string; checklist: string; run: string; item: string; state: 'done' | 'waived' | 'open'; note?: string; by?: string; base?: { hash?: string; item?: ChecklistEvaluateResult['result']['items'][number]['run'] } }): Promise<ChecklistSetItemResult> {
    return checked(zChecklistSetItemResult, await this.client.sendRequest(Requests.checklistSetItem, params), 'checklist setItem result');
  }
}
