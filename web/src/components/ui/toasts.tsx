import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  action?: { label: string; run: () => void } | undefined;
}

interface Toasts {
  show(toast: Omit<Toast, 'id'>, durationMs?: number): number;
  dismiss(id: number): void;
}

const ToastContext = createContext<Toasts | null>(null);

export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts needs a <ToastProvider> around it');
  return toasts;
}

/** Short messages at the foot of the page, read out by screen readers; an error stays until dismissed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((item) => item.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>, durationMs = 5000) => {
      const id = nextId.current++;
      // A new notice replaces the older ones (errors stay until read), so they never pile up over the list.
      setItems((all) => [...all.filter((item) => item.tone === 'error').slice(-1), { ...toast, id }]);
      if (toast.tone === 'info') setTimeout(() => dismiss(id), durationMs);
      return id;
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show, dismiss }), [show, dismiss]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section className="toasts" aria-label="Notifications">
        <div role="status" aria-live="polite">
          {items.map((item) => (
            <div key={item.id} className={`toast toast-${item.tone}`}>
              <span>{item.message}</span>
              {item.action && (
                <button
                  type="button"
                  className="toast-action"
                  onClick={() => {
                    item.action?.run();
                    dismiss(item.id);
                  }}
                >
                  {item.action.label}
                </button>
              )}
              <button
                type="button"
                className="toast-close"
                aria-label="Dismiss notification"
                onClick={() => dismiss(item.id)}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}
