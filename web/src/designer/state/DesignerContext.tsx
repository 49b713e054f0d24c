import { createContext, useContext } from 'react';
import { useStore } from './createStore';
import type { DesignerState, DesignerStore } from './designerStore';

export const DesignerContext = createContext<DesignerStore | null>(null);

export function useDesignerStore(): DesignerStore {
  const store = useContext(DesignerContext);
  if (!store) throw new Error('Designer components need a DesignerContext.');
  return store;
}

/** Subscribes to one slice of the designer's state. */
export function useDesigner<T>(selector: (state: DesignerState) => T): T {
  return useStore(useDesignerStore(), selector);
}
