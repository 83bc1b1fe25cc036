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
  call(method: string, input: unknown): Promise<unknown>;
  /** Rejects every pending call with 'transport_closed' and stops listening. */
  dispose(): void;
}

/**
 * A typed proxy: `client.services.stories.create({})` sends {method: "stories.create"}.
 * Consumers cannot tell it from a local implementation.
 */
export function createRpcClient<Services, Events>(endpoint: RpcEndpoint): RpcClient<Services, Events> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  const offMessage = endpoint.onMessage((message) => {
    if (message.t === 'res') {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(RpcError.fromPayload(message.error));
    } else if (message.t === 'evt') {
      for (const l of eventListeners.get(message.event) ?? []) l(message.payload);
    }
  });
  const failAll = () => {
    for (const p of pending.values()) p.reject(new RpcError('transport_closed', 'Connection to core closed'));
    pending.clear();
  };
  const offClose = endpoint.onClose(failAll);

  function call(method: string, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      try {
        endpoint.send({ t: 'req', id, method, input: input === undefined ? {} : input });
      } catch (error) {
        pending.delete(id);
        reject(error);
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
