import type { z } from 'zod';
import { RpcError, type RpcEndpoint, type RpcMessage } from './protocol';

type SchemaTable = Record<string, Record<string, z.ZodType>>;

/**
 * The connection a request came in on. Services use it for state that belongs to one
 * client (e.g. which stories it has open), so that state goes away with the client: a
 * closed tab, a reload or a dropped link detaches it, whether or not it said goodbye.
 */
export interface RpcCaller {
  /** Unique among the clients of one server, never reused. */
  readonly id: string;
  /** True once the client has detached. */
  readonly detached: boolean;
  /** Runs `listener` once when the client detaches (at once if it already has); returns an unsubscribe. */
  onDetach(listener: () => void): () => void;
}

/**
 * What a server routes to: the contract's methods, each also given the caller. The typed
 * contract (what clients see) stays one input object per method; a plain implementation of
 * the contract qualifies too, as it simply ignores the caller.
 */
export type ServiceHandlers<Services> = {
  [S in keyof Services]: {
    [M in keyof Services[S]]: Services[S][M] extends (input: infer I) => infer R ? (input: I, caller: RpcCaller) => R : never;
  };
};

type HandlerImpl = Record<string, (input: never, caller: RpcCaller) => Promise<unknown>>;

export interface RpcServerOptions<Events> {
  /**
   * Called with failures that are not RpcErrors (bugs, I/O): they reach the client as
   * 'internal'. Also called (method 'detach') when a detach listener throws.
   */
  onInternalError?: (method: string, error: unknown) => void;
  /** Phantom: lets broadcast() be typed by the events map. */
  events?: Events;
}

export interface RpcServer<Events> {
  /** Serves one connected client until its endpoint closes or the returned detach is called. */
  attach(endpoint: RpcEndpoint): () => void;
  broadcast<E extends keyof Events & string>(event: E, payload: Events[E]): void;
  readonly clientCount: number;
}

/**
 * Routes requests "service.method" to implementations after validating the input with
 * its schema. Invalid input never reaches the implementation (nothing is written) and is
 * answered with code 'invalid_input' and the zod issues.
 */
// A mapped constraint (not Record<string, …>) so service *interfaces* such as CoreServices qualify.
export function createRpcServer<Services extends { [S in keyof Services]: { [M in keyof Services[S]]: (input: never) => Promise<unknown> } }, Events>(
  handlers: ServiceHandlers<Services>,
  schemas: SchemaTable,
  options: RpcServerOptions<Events> = {},
): RpcServer<Events> {
  const clients = new Set<RpcEndpoint>();

  let nextClient = 1;

  async function dispatch(method: string, input: unknown, caller: RpcCaller): Promise<unknown> {
    const dot = method.indexOf('.');
    const serviceName = dot > 0 ? method.slice(0, dot) : '';
    const methodName = dot > 0 ? method.slice(dot + 1) : '';
    const schema = Object.hasOwn(schemas, serviceName) ? schemas[serviceName]![methodName] : undefined;
    const service = (handlers as Record<string, HandlerImpl | undefined>)[serviceName];
    const fn = schema && service && Object.hasOwn(schemas[serviceName]!, methodName) ? service[methodName] : undefined;
    if (!schema || !fn) throw new RpcError('unknown_method', `Unknown method: ${method}`);
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      throw new RpcError(
        'invalid_input',
        `Invalid input for ${method}`,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return fn.call(service, parsed.data as never, caller);
  }

  function handle(endpoint: RpcEndpoint, caller: RpcCaller, message: RpcMessage): void {
    if (message.t !== 'req' || typeof message.id !== 'number' || typeof message.method !== 'string') return;
    const { id, method } = message;
    dispatch(method, message.input, caller).then(
      (result) => endpoint.send({ t: 'res', id, ok: true, result: result === undefined ? null : result }),
      (error: unknown) => {
        if (error instanceof RpcError) {
          endpoint.send({ t: 'res', id, ok: false, error: error.toPayload() });
        } else {
          options.onInternalError?.(method, error);
          endpoint.send({ t: 'res', id, ok: false, error: { code: 'internal', message: 'Internal error in core' } });
        }
      },
    );
  }

  return {
    attach(endpoint) {
      clients.add(endpoint);
      const detachListeners = new Set<() => void>();
      let detached = false;
      const caller: RpcCaller = {
        id: `client-${nextClient++}`,
        get detached() {
          return detached;
        },
        onDetach(listener) {
          if (detached) {
            listener();
            return () => {};
          }
          detachListeners.add(listener);
          return () => detachListeners.delete(listener);
        },
      };
      const offMessage = endpoint.onMessage((m) => handle(endpoint, caller, m));
      const offClose = endpoint.onClose(() => detach());
      function detach() {
        if (detached) return;
        detached = true;
        clients.delete(endpoint);
        offMessage();
        offClose();
        for (const listener of [...detachListeners]) {
          try {
            listener();
          } catch (error) {
            options.onInternalError?.('detach', error);
          }
        }
        detachListeners.clear();
      }
      return detach;
    },
    broadcast(event, payload) {
      for (const c of clients) c.send({ t: 'evt', event, payload });
    },
    get clientCount() {
      return clients.size;
    },
  };
}
