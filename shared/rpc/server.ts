import type { z } from 'zod';
import { RpcError, type RpcEndpoint, type RpcMessage } from './protocol';

/** A service implementation: methods taking one input object and returning a promise. */
type ServiceImpl = Record<string, (input: never) => Promise<unknown>>;
type SchemaTable = Record<string, Record<string, z.ZodType>>;

export interface RpcServerOptions<Events> {
  /** Called with failures that are not RpcErrors (bugs, I/O): they reach the client as 'internal'. */
  onInternalError?: (method: string, error: unknown) => void;
  /** Phantom: lets broadcast() be typed by the events map. */
  events?: Events;
}

export interface RpcServer<Events> {
  /** Serves one connected client until its endpoint closes. */
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
  services: Services,
  schemas: SchemaTable,
  options: RpcServerOptions<Events> = {},
): RpcServer<Events> {
  const clients = new Set<RpcEndpoint>();

  async function dispatch(method: string, input: unknown): Promise<unknown> {
    const dot = method.indexOf('.');
    const serviceName = dot > 0 ? method.slice(0, dot) : '';
    const methodName = dot > 0 ? method.slice(dot + 1) : '';
    const schema = Object.hasOwn(schemas, serviceName) ? schemas[serviceName]![methodName] : undefined;
    const service = (services as Record<string, ServiceImpl | undefined>)[serviceName];
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
    return fn.call(service, parsed.data as never);
  }

  function handle(endpoint: RpcEndpoint, message: RpcMessage): void {
    if (message.t !== 'req' || typeof message.id !== 'number' || typeof message.method !== 'string') return;
    const { id, method } = message;
    dispatch(method, message.input).then(
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
      const offMessage = endpoint.onMessage((m) => handle(endpoint, m));
      const offClose = endpoint.onClose(() => detach());
      function detach() {
        clients.delete(endpoint);
        offMessage();
        offClose();
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
