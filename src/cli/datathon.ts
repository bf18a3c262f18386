#!/usr/bin/env node
// The datathon CLI: `npm run datathon -- demo` seeds the labelled demo events (idempotent; start.ts runs it).
import { closeStores, openStore } from '../lib/server/db/store.ts';
import { seedDemo } from '../lib/server/datathon/demo.ts';

const [command] = process.argv.slice(2);
if (command !== 'demo') {
  console.error('Usage: npm run datathon -- demo\n  Seeds the demo datathon events (one finished, one voting) if they are not there yet.');
  process.exit(2);
}
try {
  await openStore();
  const created = await seedDemo();
  console.log(created.length ? `[datathon] demo events created: ${created.join(', ')}` : '[datathon] demo events already present');
} catch (error) {
  console.error(`[datathon] demo content not created: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeStores();
}
