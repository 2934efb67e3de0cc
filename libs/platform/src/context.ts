import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a unit of work is about: the flow it belongs to (correlationId), what caused it
 * (causationId: the consumed event or request), and the business key (orderId).
 * Log lines and emitted events read it, so nobody passes ids by hand.
 */
export interface WorkContext {
  correlationId: string;
  causationId?: string | null;
  orderId?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

export const workContext = {
  run<T>(context: WorkContext, work: () => T): T {
    return storage.run(context, work);
  },
  current(): WorkContext | undefined {
    return storage.getStore();
  },
};
