import { describe, expect, it } from 'vitest';
import { playbookIdPattern, suggestPlaybookId } from './playbookIds';

describe('playbook ids', () => {
  it('suggests an engine-valid id from a name', () => {
    expect(suggestPlaybookId('Renewal outreach (90 days)')).toBe('renewal-outreach-90-days');
    expect(playbookIdPattern.test(suggestPlaybookId('Renewal outreach (90 days)'))).toBe(true);
  });

  it('gives names in Japanese a dated id', () => {
    const id = suggestPlaybookId('更新アプローチ', new Date('2026-11-22T10:30:00Z'));
    expect(id).toBe('playbook-202611221030');
    expect(playbookIdPattern.test(id)).toBe(true);
  });
});
