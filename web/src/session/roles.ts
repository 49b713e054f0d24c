/**
 * The roles a person signs in with (issue 11) and what each may use in the app. The gateway and the services enforce
 * the same rules; the app only hides what a role cannot use. `integration` is for machine callers (API keys) and never
 * signs in to the app.
 */
export const roles = ['cs-ops', 'csm', 'sre', 'admin'] as const;
export type Role = (typeof roles)[number];

export type Permission =
  | 'viewPlaybooks' | 'design' | 'publish' | 'startRuns'
  | 'viewRuns' | 'operateRuns'
  | 'workTasks'
  | 'viewDashboard'
  | 'manageKeys' | 'viewAudit';

const grants: Record<Role, readonly Permission[]> = {
  // Design, publish and start playbooks; read runs, accounts and the KPIs.
  'cs-ops': ['viewPlaybooks', 'design', 'publish', 'startRuns', 'viewRuns', 'viewDashboard'],
  // Their own and their team's tasks, with each task's account.
  csm: ['workTasks'],
  // Read runs, journals and metrics; cancel and retry runs.
  sre: ['viewRuns', 'operateRuns', 'viewDashboard'],
  admin: ['viewPlaybooks', 'design', 'publish', 'startRuns', 'viewRuns', 'operateRuns', 'workTasks', 'viewDashboard', 'manageKeys', 'viewAudit'],
};

export const can = (role: Role | null | undefined, permission: Permission): boolean => !!role && grants[role].includes(permission);

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

/** Where each role starts. */
export const homeByRole: Record<Role, string> = { 'cs-ops': '/playbooks', csm: '/inbox', sre: '/runs', admin: '/playbooks' };

/** What each page needs; a page not listed is open to every signed-in role. */
export const pagePermissions: { prefix: string; permission: Permission }[] = [
  { prefix: '/playbooks', permission: 'viewPlaybooks' },
  { prefix: '/designer', permission: 'viewPlaybooks' },
  { prefix: '/runs', permission: 'viewRuns' },
  { prefix: '/inbox', permission: 'workTasks' },
  { prefix: '/dashboard', permission: 'viewDashboard' },
  { prefix: '/admin/keys', permission: 'manageKeys' },
  { prefix: '/admin/audit', permission: 'viewAudit' },
];

/** The permission a path needs, or null. */
export function permissionFor(path: string): Permission | null {
  const page = pagePermissions.find((p) => path === p.prefix || path.startsWith(`${p.prefix}/`));
  return page ? page.permission : null;
}
