/**
 * `steward serve`: the standalone server (loadConfig -> buildServer -> listen) until SIGINT
 * or SIGTERM, then a graceful close (in-flight requests finish, the database is closed).
 * A second signal during the close ends the process at once.
 */
import { readdir } from 'node:fs/promises';
import type { Command } from '../command.js';
import { localConfig } from '../local-config.js';
import { withDevelopmentSettings } from './dev-settings.js';
import { refuseInProduction } from './dev-setup.js';
import { dataDirOption } from './shared-options.js';

export const serve: Command = {
  words: ['serve'],
  summary: 'Run the server until SIGINT or SIGTERM',
  options: {
    ...dataDirOption,
    host: { kind: 'string', value: 'HOST', description: 'interface to listen on (default: $STEWARD_HOST, else 127.0.0.1)' },
    port: { kind: 'string', value: 'PORT', description: 'TCP port, 0 for any free one (default: $STEWARD_PORT, else 8080)' },
    dev: { kind: 'boolean', description: 'development settings (npm start): 10 s poll interval, offline after 2 min, webhooks to private addresses allowed; refused when STEWARD_ENV=production' },
  },
  async run({ args, io }) {
    if (args.flag('dev')) refuseInProduction(io.env);
    const host = args.optionalString('host');
    const port = args.optionalInteger('port', { max: 65535 });
    const loaded = localConfig(io.env, args.optionalString('data-dir'), { ...(host === undefined ? {} : { host }), ...(port === undefined ? {} : { port }) });
    const config = args.flag('dev') ? withDevelopmentSettings(loaded) : loaded;
    const { buildServer } = await import('../../app/build-server.js');
    const app = await buildServer(config);
    const keyFiles = await readdir(config.keysDir).catch(() => [] as string[]);
    if (!keyFiles.some((name) => name.endsWith('.pem'))) app.log.warn({ keysDir: config.keysDir }, "no online keys: run 'steward init' first, or publishing will fail");

    let url: string;
    try {
      url = await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      await app.close();
      throw error;
    }
    app.log.info({ url }, 'steward listening');
    await new Promise<void>((resolve, reject) => {
      const stop = (signal: NodeJS.Signals): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        app.log.info({ signal }, 'shutting down');
        app.close().then(resolve, reject);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
