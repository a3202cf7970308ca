import type { ReactNode } from 'react';
import { ToastProvider } from '../components/ui/toasts.tsx';

/** What every page shares. */
export function AppProvider({ children }: { children: ReactNode }) {
  return <ToastProvider>{children}</ToastProvider>;
}
