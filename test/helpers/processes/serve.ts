// A Steward server in its own process for tests (another replica): config from the
// environment (loadConfig), prints "listening <url>" once ready.
import { buildServer, loadConfig } from '../../../server/index.js';

const app = await buildServer(loadConfig(process.env, { port: 0, logLevel: 'warn', resignIntervalSeconds: 0 }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
