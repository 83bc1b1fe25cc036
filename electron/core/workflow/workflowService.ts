import type { WorkflowService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';

/** Placeholder until the review workflow lands (issue 9): every call says so clearly. */
export function createUnavailableWorkflowService(): WorkflowService {
  const refuse = (): Promise<never> => Promise.reject(new RpcError('unknown_method', 'the review workflow is not available in this build yet'));
  return { get: refuse, command: refuse, comment: refuse, resolve: refuse, version: refuse, dismissRefusal: refuse };
}
