import { useT } from '../../../i18n/I18nProvider';
import type { EditorProps } from './editorProps';

interface RecipientRule {
  kind: string;
  role?: string | null;
  address?: string | null;
  user?: string | null;
}

const kinds = ['contacts', 'owner', 'manager', 'user', 'address'] as const;

/** Who a notification goes to: the account's contacts (optionally by role), its owner or manager, a person, an address. */
export function RecipientsEditor({ value, onChange, fieldId }: EditorProps) {
  const t = useT();
  const rules: RecipientRule[] = Array.isArray(value) ? value : [];
  const set = (index: number, patch: Partial<RecipientRule>) =>
    onChange(rules.map((r, i) => {
      if (i !== index) return r;
      const next = { ...r, ...patch };
      return {
        kind: next.kind,
        ...(next.kind === 'contacts' && next.role ? { role: next.role } : {}),
        ...(next.kind === 'user' ? { user: next.user ?? '' } : {}),
        ...(next.kind === 'address' ? { address: next.address ?? '' } : {}),
      };
    }));
  return (
    <div className="recipients-editor" id={fieldId}>
      {rules.map((rule, index) => (
        <div key={index} className="case-row">
          <select value={rule.kind} aria-label={t('designer.recipientKind')} onChange={(e) => set(index, { kind: e.target.value })}>
            {kinds.map((k) => <option key={k} value={k}>{t(`recipient.${k}`)}</option>)}
          </select>
          {rule.kind === 'contacts' && <input value={rule.role ?? ''} placeholder={t('designer.recipientRole')} aria-label={t('designer.recipientRole')} onChange={(e) => set(index, { role: e.target.value })} />}
          {rule.kind === 'user' && <input type="email" value={rule.user ?? ''} placeholder="csm@company.com" aria-label={t('designer.assigneeUser')} onChange={(e) => set(index, { user: e.target.value })} />}
          {rule.kind === 'address' && <input type="email" value={rule.address ?? ''} placeholder="team@customer.com" aria-label={t('designer.recipientAddress')} onChange={(e) => set(index, { address: e.target.value })} />}
          <button type="button" className="icon-button" aria-label={t('designer.removeItem')} onClick={() => onChange(rules.filter((_, i) => i !== index))}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rules, { kind: 'contacts', role: 'admin' }])}>{t('designer.addRecipient')}</button>
    </div>
  );
}
