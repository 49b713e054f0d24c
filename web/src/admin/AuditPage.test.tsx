// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../api/authApi';
import { I18nProvider } from '../i18n/I18nProvider';
import { fakeApi, signedInAs, signedOut, type Call } from '../test/fakeApi';
import AuditPage, { auditQuery } from './AuditPage';

const published: AuditEntry = {
  id: 'a2', at: '2026-11-22T10:00:00Z', service: 'engine', actor: 'mei@example.com', role: 'cs-ops', action: 'definition.saved', subject: 'kickoff',
  before: { name: 'Kickoff', activities: [{ id: 'start', type: 'Start' }, { id: 'end', type: 'End' }] },
  after: { name: 'Kickoff after signature', activities: [{ id: 'start', type: 'Start' }, { id: 'call', type: 'CreateTask' }, { id: 'end', type: 'End' }] },
};
const created: AuditEntry = { id: 'a1', at: '2026-11-21T09:00:00Z', service: 'gateway', actor: 'admin@example.com', role: 'admin', action: 'apikey.created', subject: 'CRM', before: null, after: { name: 'CRM', role: 'integration' } };
const cancelled: AuditEntry = { id: 'a0', at: '2026-11-20T09:00:00Z', service: 'engine', actor: 'ren@example.com', role: 'sre', action: 'instance.cancelled', subject: 'run-1', before: null, after: null };

function auditServer(entries: AuditEntry[]): Call[] {
  return fakeApi((call) => (call.path === '/api/audit' ? { body: { entries } } : undefined));
}

const renderPage = () => render(<I18nProvider locale="en"><AuditPage /></I18nProvider>);

beforeEach(() => signedInAs('admin'));
afterEach(() => { cleanup(); vi.unstubAllGlobals(); signedOut(); });

describe('AuditPage', () => {
  it('shows who did what, when, newest first as served', async () => {
    const calls = auditServer([published, created, cancelled]);
    renderPage();
    const rows = within(await screen.findByTestId('audit-table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(['definition.saved', 'apikey.created', 'instance.cancelled']);
    expect(rows[0].textContent).toContain('mei@example.com (cs-ops)');
    expect(rows[0].textContent).toContain('Playbook draft saved');
    expect(rows[0].textContent).toContain('kickoff');
    expect(within(rows[2]).queryByTestId('audit-toggle')).toBeNull(); // nothing before or after to show
    expect(calls[0].search.get('limit')).toBe('100');
    expect([...calls[0].search.keys()]).toEqual(['limit']);
  });

  it('filters by service, action, actor and date range', async () => {
    const calls = auditServer([published]);
    renderPage();
    await screen.findByTestId('audit-table');
    fireEvent.change(screen.getByTestId('audit-service'), { target: { value: 'engine' } });
    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: 'definition.published' } });
    fireEvent.change(screen.getByTestId('audit-actor'), { target: { value: ' mei@example.com ' } });
    fireEvent.change(screen.getByTestId('audit-from'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('audit-to'), { target: { value: '2026-11-22' } });
    fireEvent.click(screen.getByTestId('audit-apply'));
    await waitFor(() => expect(calls).toHaveLength(2));
    const q = calls[1].search;
    expect(q.get('service')).toBe('engine');
    expect(q.get('action')).toBe('definition.published');
    expect(q.get('actor')).toBe('mei@example.com');
    expect(q.get('from')).toBe(new Date('2026-11-01T00:00:00').toISOString());
    expect(q.get('to')).toBe(new Date(new Date('2026-11-23T00:00:00').getTime() - 1).toISOString());
  });

  it('expands an entry into the fields that changed, and the whole before and after', async () => {
    auditServer([published, created]);
    renderPage();
    const rows = within(await screen.findByTestId('audit-table')).getAllByRole('row');
    fireEvent.click(within(rows[1]).getByTestId('audit-toggle'));
    const diff = await screen.findByTestId('audit-diff');
    const changed = [...diff.querySelectorAll(':scope > tbody > tr')].map((r) => r.getAttribute('data-path'));
    expect(changed).toEqual(['name', 'activities[id=call]']);
    expect(diff.textContent).toContain('"Kickoff"');
    expect(diff.textContent).toContain('"Kickoff after signature"');
    fireEvent.click(screen.getByRole('radio', { name: 'Before and after' }));
    expect(screen.getByTestId('audit-changes').querySelectorAll('pre')).toHaveLength(2);
    fireEvent.click(within(rows[1]).getByTestId('audit-toggle'));
    expect(screen.queryByTestId('audit-changes')).toBeNull();

    // A creation has nothing before: the new value is shown whole.
    fireEvent.click(within(screen.getAllByRole('row')[2]).getByTestId('audit-toggle'));
    const whole = await screen.findByTestId('audit-changes');
    expect(whole.querySelector('pre')!.textContent).toBe('—');
    expect(whole.textContent).toContain('"integration"');
  });

  it('asks for more entries when the page is full', async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...cancelled, id: `e${i}` }));
    const calls = auditServer(many);
    renderPage();
    fireEvent.click(await screen.findByTestId('audit-more'));
    await waitFor(() => expect(calls.at(-1)!.search.get('limit')).toBe('200'));
  });

  it('leaves out empty filters', () => {
    expect(auditQuery({ service: '', action: ' ', actor: '', from: '', to: '' }, 50)).toEqual({
      service: undefined, action: undefined, actor: undefined, from: undefined, to: undefined, limit: 50,
    });
  });
});
