// `node dist/redis-relay.mjs`: the relay service compose runs in front of Redis, until SIGTERM or SIGINT.
import { relaySettingsFrom, startRelayService } from './relay-service.ts';

const settings = relaySettingsFrom(process.env);
const service = await startRelayService(settings);
const line = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ service: 'redis-relay', ...record })}\n`);
line({ port: service.relay.port, controlPort: service.controlPort, upstream: settings.upstream, msg: 'listening' });
const stop = async () => {
  await service.close();
  line({ msg: 'stopped' });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
