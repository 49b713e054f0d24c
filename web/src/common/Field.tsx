import type { ReactNode } from 'react';

/** A labelled form control with an optional hint and problem underneath. */
export function Field({ label, hint, problem, children, inline = false }: { label: string; hint?: string; problem?: string; children: ReactNode; inline?: boolean }) {
  return (
    <label className={`field${inline ? ' field-inline' : ''}${problem ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {problem && <span className="field-problem" role="alert">{problem}</span>}
    </label>
  );
}
