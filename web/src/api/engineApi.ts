import { get, post, put, query } from './http';
import type {
  Account, AccountEvent, ActivityDescriptor, DefinitionChange, DefinitionProblem, DefinitionSummary, DefinitionVersionInfo, DefinitionView,
  InstanceSummary, InstanceView, Page, PlaybookDefinition, SimulationRequest, SimulationResult,
} from './engineTypes';

const engine = '/api/engine';
const id = encodeURIComponent;

export const engineApi = {
  activities: () => get<ActivityDescriptor[]>(`${engine}/activities`),

  definitions: (includeArchived: boolean) => get<DefinitionSummary[]>(`${engine}/definitions${query({ includeArchived })}`),
  definition: (definitionId: string, version?: number) => get<DefinitionView>(`${engine}/definitions/${id(definitionId)}${query({ version })}`),
  createDefinition: (definition: PlaybookDefinition) => post<DefinitionView>(`${engine}/definitions`, definition),
  saveDraft: (definition: PlaybookDefinition) => put<DefinitionView>(`${engine}/definitions/${id(definition.definitionId)}`, definition),
  validate: (definition: PlaybookDefinition) => post<{ problems: DefinitionProblem[] }>(`${engine}/definitions/validate`, definition),
  publish: (definitionId: string, note: string) => post<DefinitionVersionInfo>(`${engine}/definitions/${id(definitionId)}/publish`, { note }),
  unpublish: (definitionId: string) => post<void>(`${engine}/definitions/${id(definitionId)}/unpublish`),
  archive: (definitionId: string) => post<void>(`${engine}/definitions/${id(definitionId)}/archive`),
  duplicate: (definitionId: string, newId: string, name: string) =>
    post<DefinitionView>(`${engine}/definitions/${id(definitionId)}/duplicate`, { definitionId: newId, name }),
  versions: (definitionId: string) => get<DefinitionVersionInfo[]>(`${engine}/definitions/${id(definitionId)}/versions`),
  diff: (definitionId: string, from: number, to?: number) =>
    get<DefinitionChange[]>(`${engine}/definitions/${id(definitionId)}/diff${query({ from, to })}`),
  simulate: (definitionId: string, request: SimulationRequest) =>
    post<SimulationResult>(`${engine}/definitions/${id(definitionId)}/simulate`, request),

  instances: (filters: { definitionId?: string; accountId?: string; status?: string; skip?: number; take?: number }) =>
    get<Page<InstanceSummary>>(`${engine}/instances${query(filters)}`),
  instance: (instanceId: string) => get<InstanceView>(`${engine}/instances/${id(instanceId)}`),
  startInstance: (definitionId: string, accountId: string) => post<InstanceView>(`${engine}/instances`, { definitionId, accountId }),
  cancelInstance: (instanceId: string, reason: string) => post<InstanceView>(`${engine}/instances/${id(instanceId)}/cancel`, { reason }),
  retryInstance: (instanceId: string) => post<InstanceView>(`${engine}/instances/${id(instanceId)}/retry`),

  accounts: (filters: { ownerCsm?: string; search?: string; take?: number } = {}) => get<Page<Account>>(`${engine}/accounts${query(filters)}`),
  account: (accountId: string) => get<Account>(`${engine}/accounts/${id(accountId)}`),
  upsertAccount: (account: Partial<Account>) => post<{ upserted: number }>(`${engine}/accounts`, account),
  postEvents: (events: AccountEvent | AccountEvent[]) => post<unknown>(`${engine}/events`, events),
};
