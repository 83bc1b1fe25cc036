import { RpcError, type RpcEndpoint } from './protocol';

/** Turns a service interface into the same interface spoken over an endpoint. */
export type Remote<Services> = {
  [S in keyof Services]: {
    [M in keyof Services[S]]: Services[S][M];
  };
};

export type EventListeners<Events> = {
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void;
};

export interface RpcClient<Services, Events> extends EventListeners<Events> {
  services: Remote<Services>;
  /** `timeoutMs` overrides the method's deadline; 0 or Infinity waits for ever. */
  call(method: string, input: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /** Rejects every pending call with 'transport_closed' and stops listening. */
  dispose(): void;
}

export interface CallTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RpcClientOptions {
  /** Deadline of every call without one of its own in `timeouts` (ms). */
  defaultTimeoutMs?: number;
  /** Deadlines per method ("docs.push"), replacing the default. */
  timeouts?: Readonly<Record<string, number>>;
  /** Injectable for tests; the host's timers otherwise. */
  timers?: CallTimers;
}

/**
 * A call nobody answers (core hung in a long transaction, a link that stalls without
 * closing) must not hold its caller for ever: it rejects with 'timeout', which callers
 * treat like a dropped link. Generous, since opening or searching a big profile on a
 * loaded machine can take seconds.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * docs.push is one small transaction in core (an apply and an insert); ten seconds without
 * an answer means core is stuck, and the push queue should retry rather than keep
 * newer edits waiting behind it.
 */
export const METHOD_TIMEOUTS: Readonly<Record<string, number>> = Object.freeze({ 'docs.push': 10_000 });

// shared/ has no DOM or Node typings; every host it runs in has these timers.
const hostTimers = globalThis as unknown as {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};
const defaultTimers: CallTimers = {
  setTimeout: (fn, ms) => hostTimers.setTimeout(fn, ms),
  clearTimeout: (handle) => hostTimers.clearTimeout(handle),
};

/**
 * A typed proxy: `client.services.stories.create({})` sends {method: "stories.create"}.
 * Consumers cannot tell it from a local implementation. Every call has a deadline (see
 * DEFAULT_CALL_TIMEOUT_MS); an answer that arrives after it is ignored.
 */
export function createRpcClient<Services, Events>(endpoint: RpcEndpoint, options: RpcClientOptions = {}): RpcClient<Services, Events> {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const timeouts = options.timeouts ?? METHOD_TIMEOUTS;
  const timers = options.timers ?? defaultTimers;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  const offMessage = endpoint.onMessage((message) => {
    if (message.t === 'res') {
      const p = pending.get(message.id);
      if (!p) return; // answered already, or its deadline passed
      if (message.ok) p.resolve(message.result);
      else p.reject(RpcError.fromPayload(message.error));
    } else if (message.t === 'evt') {
      for (const l of eventListeners.get(message.event) ?? []) l(message.payload);
    }
  });
  const failAll = () => {
    for (const p of [...pending.values()]) p.reject(new RpcError('transport_closed', 'Connection to core closed'));
  };
  const offClose = endpoint.onClose(failAll);

  function call(method: string, input: unknown, callOptions: { timeoutMs?: number } = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const timeoutMs = callOptions.timeoutMs ?? timeouts[method] ?? defaultTimeoutMs;
      let timer: unknown = null;
      const settle = () => {
        pending.delete(id);
        if (timer !== null) timers.clearTimeout(timer);
        timer = null;
      };
      pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        timer = timers.setTimeout(() => {
          timer = null;
          // Forgotten here, so a late answer finds no entry and is dropped.
          pending.get(id)?.reject(new RpcError('timeout', `No answer to ${method} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      try {
        endpoint.send({ t: 'req', id, method, input: input === undefined ? {} : input });
      } catch (error) {
        pending.get(id)?.reject(error);
      }
    });
  }

  const serviceCache = new Map<string, object>();
  const services = new Proxy({} as Remote<Services>, {
    get(_target, serviceName) {
      if (typeof serviceName !== 'string') return undefined;
      let svc = serviceCache.get(serviceName);
      if (!svc) {
        svc = new Proxy(
          {},
          {
            get(_t, methodName) {
              if (typeof methodName !== 'string' || methodName === 'then') return undefined;
              return (input: unknown) => call(`${serviceName}.${methodName}`, input);
            },
          },
        );
        serviceCache.set(serviceName, svc);
      }
      return svc;
    },
  });

  return {
    services,
    call,
    on(event, listener) {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    dispose() {
      offMessage();
      offClose();
      failAll();
    },
  };
}
