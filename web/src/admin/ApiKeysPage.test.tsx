// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiKey } from '../api/authApi';
import { I18nProvider } from '../i18n/I18nProvider';
import { fakeApi, signedInAs, signedOut, stubDialog, type Call } from '../test/fakeApi';
import ApiKeysPage from './ApiKeysPage';

const crm: ApiKey = { id: 'k1', name: 'CRM', role: 'integration', prefix: 'pbk_3f9a', createdAt: '2026-11-01T09:00:00Z', createdBy: 'admin@example.com', lastUsedAt: '2026-11-22T08:00:00Z', revokedAt: null };

/** The gateway's key endpoints over an in-memory list. */
function keyServer(keys: ApiKey[]): Call[] {
  return fakeApi((call) => {
    if (call.path === '/api/auth/options') return { body: { devSignIn: true, authority: null, roles: ['cs-ops', 'csm', 'sre', 'admin', 'integration'] } };
    if (call.path === '/api/auth/keys' && call.method === 'GET') return { body: keys };
    if (call.path === '/api/auth/keys' && call.method === 'POST') {
      const { name, role } = call.body as { name: string; role: string };
      const created = { id: 'k2', name, role, prefix: 'pbk_77c1', createdAt: '2026-11-23T10:00:00Z' };
      keys.push({ ...created, createdBy: 'admin@example.com', lastUsedAt: null, revokedAt: null });
      return { status: 201, body: { ...created, key: 'pbk_77c1.s3cr3t-only-once' } };
    }
    const revoke = call.path.match(/^\/api\/auth\/keys\/(.+)$/);
    if (revoke && call.method === 'DELETE') {
      keys.forEach((k) => { if (k.id === revoke[1]) k.revokedAt = '2026-11-23T11:00:00Z'; });
      return { status: 204 };
    }
    return undefined;
  });
}

const renderPage = () => render(<I18nProvider locale="en"><ApiKeysPage /></I18nProvider>);

beforeEach(() => { stubDialog(); signedInAs('admin', 'admin@example.com'); });
afterEach(() => { cleanup(); vi.unstubAllGlobals(); signedOut(); });

describe('ApiKeysPage', () => {
  it('lists the keys with their prefix, creator, last use and status', async () => {
    keyServer([crm, { ...crm, id: 'k0', name: 'Old CRM', lastUsedAt: null, revokedAt: '2026-11-10T00:00:00Z' }]);
    renderPage();
    const table = await screen.findByTestId('keys-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].textContent).toContain('CRM');
    expect(rows[0].textContent).toContain('Integration');
    expect(rows[0].textContent).toContain('pbk_3f9a…');
    expect(rows[0].textContent).toContain('admin@example.com');
    expect(rows[0].textContent).toContain('Active');
    expect(rows[1].textContent).toContain('Never');
    expect(within(rows[1]).getByTestId('key-revoked')).toBeTruthy();
    expect(within(rows[1]).queryByTestId('revoke-key')).toBeNull();
  });

  it('creates a key and shows the whole key once, with a copy button', async () => {
    const calls = keyServer([crm]);
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderPage();
    await screen.findByTestId('keys-table');
    fireEvent.click(screen.getByTestId('new-key'));
    fireEvent.change(await screen.findByTestId('key-name'), { target: { value: 'Billing sync' } });
    expect((screen.getByTestId('key-role') as HTMLSelectElement).value).toBe('integration');
    fireEvent.submit(screen.getByTestId('key-name').closest('form')!);

    const shown = await screen.findByTestId('created-key');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'Billing sync', role: 'integration' });
    expect((screen.getByTestId('created-key-value') as HTMLInputElement).value).toBe('pbk_77c1.s3cr3t-only-once');
    expect(shown.textContent).toContain('shown only this once');
    fireEvent.click(screen.getByTestId('copy-key'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('pbk_77c1.s3cr3t-only-once'));
    expect(screen.getByTestId('copy-key').textContent).toBe('Copied');
    // The list is read again and has the new key, by its prefix only.
    await waitFor(() => expect(screen.getByTestId('keys-table').textContent).toContain('Billing sync'));
    expect(screen.getByTestId('keys-table').textContent).not.toContain('s3cr3t');

    fireEvent.click(screen.getByTestId('created-key-done'));
    expect(screen.queryByTestId('created-key')).toBeNull();
    expect(document.body.textContent).not.toContain('s3cr3t');
  });

  it('revokes a key only after the admin confirms', async () => {
    const calls = keyServer([crm]);
    renderPage();
    fireEvent.click(await screen.findByTestId('revoke-key'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Revoke “CRM”?');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    fireEvent.click(screen.getByTestId('revoke-key'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await screen.findByTestId('key-revoked');
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/auth/keys/k1']);
  });

  it("says so when the signed-in role may not manage keys (403)", async () => {
    signedInAs('cs-ops');
    fakeApi(() => ({ status: 403, body: { title: 'Forbidden', detail: 'API keys are for admins.', status: 403 } }));
    renderPage();
    expect((await screen.findByRole('alert')).textContent).toContain('Your role (CS Ops) can’t do this. API keys are for admins.');
  });
});
