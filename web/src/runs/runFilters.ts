/** The run list's filters live in the URL (?definitionId=…&status=…&accountId=…&page=…) so they can be linked. */
export interface RunFilters {
  definitionId: string;
  status: string;
  accountId: string;
  page: number;
}

export const runStatuses = ['running', 'completed', 'exited', 'faulted', 'cancelled'] as const;
export const runsPageSize = 50;

export function readRunFilters(search: URLSearchParams): RunFilters {
  return {
    definitionId: search.get('definitionId') ?? '',
    status: search.get('status') ?? '',
    accountId: search.get('accountId') ?? '',
    page: Math.max(1, Number(search.get('page')) || 1),
  };
}

export function runFiltersPath(filters: RunFilters): string {
  const search = new URLSearchParams();
  if (filters.definitionId) search.set('definitionId', filters.definitionId);
  if (filters.status) search.set('status', filters.status);
  if (filters.accountId) search.set('accountId', filters.accountId);
  if (filters.page > 1) search.set('page', String(filters.page));
  const text = search.toString();
  return text ? `/runs?${text}` : '/runs';
}
