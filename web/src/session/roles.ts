/** The four kinds of people (issue 11); until the gateway signs people in, the person picks one in embedded mode. */
export const roles = ['cs-ops', 'csm', 'sre', 'admin'] as const;
export type Role = (typeof roles)[number];

export type Permission = 'design' | 'publish' | 'startRuns' | 'operateRuns' | 'workTasks';

const grants: Record<Role, Permission[]> = {
  'cs-ops': ['design', 'publish', 'startRuns', 'workTasks'],
  csm: ['workTasks'],
  sre: ['operateRuns'],
  admin: ['design', 'publish', 'startRuns', 'operateRuns', 'workTasks'],
};

export const can = (role: Role, permission: Permission): boolean => grants[role].includes(permission);

export const isRole = (value: unknown): value is Role => roles.includes(value as Role);
