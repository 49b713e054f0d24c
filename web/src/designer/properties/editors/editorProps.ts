import type { InputDescriptor } from '../../../api/engineTypes';

/** What every input editor gets: the descriptor, the current value (undefined = not set), and a way to change it. */
export interface EditorProps {
  input: InputDescriptor;
  value: unknown;
  /** `undefined` removes the input, so the engine's default applies. */
  onChange: (value: unknown) => void;
  fieldId: string;
  invalid: boolean;
}
