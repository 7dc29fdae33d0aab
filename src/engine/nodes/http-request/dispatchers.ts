import { Agent, buildConnector, type Dispatcher, interceptors } from 'undici';
import { createGuardedConnector } from '../../../lib/net/guarded-connector.ts';
import { credentialRedirectGuard } from './credential-domains.ts';
import type { RequestSpec } from './request-spec.ts';
import type { HttpRequestSettings } from './settings.ts';

/**
 * The dispatchers of one HTTP Request node type: a connection pool per TLS strictness (keep-alive across requests and
 * runs), each opening its connections through the address policy. Per request, the redirect interceptor and the
 * credential's host check are composed on top; without redirects 3xx answers come back as they are.
 */
export function createDispatchers(settings: HttpRequestSettings): (spec: RequestSpec) => Dispatcher {
  const agents = new Map<boolean, Agent>();
  const connectorFor = settings.network?.connector ?? buildConnector;

  const agentFor = (allowUnauthorizedCerts: boolean): Agent => {
    let agent = agents.get(allowUnauthorizedCerts);
    if (!agent) {
      const connect = createGuardedConnector({
        policy: settings.addressPolicy,
        connect: connectorFor({ rejectUnauthorized: !allowUnauthorizedCerts }),
        ...(settings.network?.lookup ? { lookup: settings.network.lookup } : {}),
      });
      agent = new Agent({ connect });
      agents.set(allowUnauthorizedCerts, agent);
    }
    return agent;
  };

  return (spec) => {
    const agent = agentFor(spec.allowUnauthorizedCerts);
    const maxRedirections = spec.followRedirects ? spec.maxRedirects : 0;
    const composed: Dispatcher.DispatcherComposeInterceptor[] = [];
    // Inner first: the guard sees each hop the redirect interceptor dispatches.
    if (spec.credentialDomains !== undefined) composed.push(credentialRedirectGuard(spec.credentialDomains));
    if (maxRedirections > 0) composed.push(interceptors.redirect({ maxRedirections }));
    return composed.length > 0 ? agent.compose(composed) : agent;
  };
}
