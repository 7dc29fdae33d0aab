import type { AddressPolicy } from '../../lib/net/address-policy.ts';
import { AddressRefusedError, checkedAddress } from '../../lib/net/guarded-connector.ts';
import { NodeOperationError } from '../node-types.ts';

/**
 * The checked address a node that opens its own connections (a database, a broker) connects to: refused, as for HTTP
 * Request, when the address policy refuses it (this server's own database or Redis, say).
 */
export async function nodeAddress(policy: AddressPolicy, host: string, port: number, what: string): Promise<string> {
  try {
    return await checkedAddress(policy, host, port);
  } catch (error) {
    if (error instanceof AddressRefusedError) throw new NodeOperationError(error.message);
    throw new NodeOperationError(`The ${what} host "${host}" could not be resolved: ${(error as Error).message}`);
  }
}
