import mqtt from 'mqtt';
import type { AddressPolicy } from '../../lib/net/address-policy.ts';
import { NodeOperationError, type NodeType } from '../node-types.ts';
import type { Item, JsonObject } from '../types.ts';
import { nodeAddress } from './node-address.ts';

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * n8n's MQTT node: publishes each item (its JSON, or the `message` parameter) to `topic` with the chosen QoS and
 * retain flag, then passes the items on. The broker connection goes through the HTTP Request node's address policy.
 */
export function createMqttNode(policy: AddressPolicy): NodeType {
  return {
    type: 'n8n-nodes-base.mqtt',
    typeVersions: [1],
    async execute(ctx) {
      const secret = await ctx.getCredentials('mqtt');
      const host = String(secret.host ?? '');
      const port = Number(secret.port || 1883);
      const address = await nodeAddress(policy, host, port, 'MQTT broker');
      const protocol = String(secret.protocol ?? 'mqtt') as 'mqtt' | 'mqtts' | 'ws' | 'wss';
      const client = await mqtt
        .connectAsync({
          protocol: secret.ssl === true && protocol === 'mqtt' ? 'mqtts' : protocol,
          host: address,
          port,
          ...(secret.username ? { username: String(secret.username) } : {}),
          ...(secret.password ? { password: String(secret.password) } : {}),
          clean: secret.clean !== false,
          clientId: String(secret.clientId || `flowgate_${Math.random().toString(16).slice(2, 10)}`),
          connectTimeout: CONNECT_TIMEOUT_MS,
          reconnectPeriod: 0,
          servername: host,
          rejectUnauthorized: secret.rejectUnauthorized !== false,
        })
        .catch((error: Error) => {
          throw new NodeOperationError(`Could not connect to the MQTT broker at ${host}:${port}: ${error.message}`);
        });
      const output: Item[] = [];
      try {
        for (const [itemIndex, item] of ctx.items.entries()) {
          const topic = ctx.getParam<string>('topic', itemIndex, '');
          if (!topic) throw new NodeOperationError('No topic given', { itemIndex });
          const options = ctx.getParam<JsonObject>('options', itemIndex, {});
          const message =
            ctx.getParam<boolean>('sendInputData', itemIndex, true) !== false
              ? JSON.stringify(item.json)
              : String(ctx.getParam('message', itemIndex, ''));
          const qos = Number(options.qos ?? 0);
          await client.publishAsync(topic, message, { qos: qos === 1 || qos === 2 ? qos : 0, retain: options.retain === true });
          output.push({ json: item.json, pairedItem: { item: itemIndex } });
        }
      } finally {
        await client.endAsync().catch(() => undefined);
      }
      return [output];
    },
  };
}
