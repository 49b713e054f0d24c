import { useSyncExternalStore } from 'react';
import { getAuthState, subscribeAuth, type AuthState } from './authStore';

/** The sign-in state, re-rendering when the person signs in or out (or the gateway refuses the token). */
export function useAuth(): AuthState {
  return useSyncExternalStore(subscribeAuth, getAuthState, getAuthState);
}
