import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { answersTcp } from '../../../test/helpers/redis.ts';
import { createAddressPolicy } from '../../lib/net/address-policy.ts';
import { createMqttNode } from './mqtt.ts';
import { jsonOf, runNode } from './test-support.ts';

const BROKER = { host: '127.0.0.1', port: 1883 };
const available = await answersTcp(BROKER.host, BROKER.port);
const node = createMqttNode(
  createAddressPolicy({ blockPrivate: false, blockedRanges: [], allowedRanges: [], allowedHostnames: [], internalPorts: [] }),
);

describe.skipIf(!available)('MQTT node (skipped: no MQTT broker answers on 127.0.0.1:1883)', () => {
  it('publishes each item’s JSON, or the message, to the topic, and passes the items on', async () => {
    const topic = `flowgate/test/${process.pid}/${Date.now()}`;
    const subscriber = await mqtt.connectAsync({ host: BROKER.host, port: BROKER.port, reconnectPeriod: 0 });
    const received: string[] = [];
    subscriber.on('message', (_topic, payload) => received.push(payload.toString()));
    await subscriber.subscribeAsync(topic, { qos: 1 });
    const items = [{ json: { pin: 4, on: true } }, { json: { pin: 5, on: false } }];
    const { result } = await runNode(node, { parameters: { topic, options: { qos: 1 } }, items, credentials: { mqtt: { ...BROKER } } });
    expect(jsonOf(result)).toEqual(items.map((item) => item.json));
    await runNode(node, { parameters: { topic, sendInputData: false, message: 'pin-control' }, credentials: { mqtt: { ...BROKER } } });
    for (let i = 0; i < 100 && received.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await subscriber.endAsync();
    expect(received).toEqual(['{"pin":4,"on":true}', '{"pin":5,"on":false}', 'pin-control']);
  });

  it('says why it cannot reach a broker', async () => {
    await expect(runNode(node, { parameters: { topic: 't' }, credentials: { mqtt: { host: '127.0.0.1', port: 1 } } })).rejects.toThrow(
      /^Could not connect to the MQTT broker at 127\.0\.0\.1:1: /,
    );
  });
});
