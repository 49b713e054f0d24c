/** The engine's rule for playbook ids: lowercase letters, digits and dashes, at most 64. */
export const playbookIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Suggests an id from a name ("Renewal outreach" → "renewal-outreach"); names in other scripts get a dated id. */
export function suggestPlaybookId(name: string, now: Date = new Date()): string {
  const slug = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  if (slug) return slug;
  const stamp = now.toISOString().slice(0, 16).replace(/[^0-9]/g, '');
  return `playbook-${stamp}`;
}
