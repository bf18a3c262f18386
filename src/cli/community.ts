import { parseArgs } from 'node:util';
import { sendDigests } from '../lib/server/community/digest.ts';
import { openStore } from '../lib/server/db/store.ts';
import { deliverOutbox } from '../lib/server/mail/outbox.ts';
import { CliError, runStoreCli } from './store-cli.ts';

const USAGE = `Usage: npm run community -- <command> [options]

  digest [--at ISO-TIME]
      Sends the daily digest now: one e-mail per person with the notifications they chose to get daily,
      created up to --at (default: now). The server does this every day at community.digest_time
      (kota.config.yaml); running it again sends nothing twice.

Works while the server runs: notifications live in the app-state store (DATA_DIR/app.sqlite, or DATABASE_URL).`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { at: { type: 'string' } } });
  switch (command) {
    case 'digest': {
      const at = values.at === undefined ? undefined : Date.parse(values.at);
      if (at !== undefined && Number.isNaN(at)) throw new CliError(`--at: expected a time such as 2026-12-01T07:00:00+07:00, found "${values.at}"`);
      await openStore();
      const report = await sendDigests({ at });
      await deliverOutbox();
      console.log(`digest: ${report.mailed} e-mail(s) for ${report.notifications} notification(s)`);
      return;
    }
    default:
      throw new CliError(command ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
  }
}

await runStoreCli('community', main);
