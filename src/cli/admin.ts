import { parseArgs } from 'node:util';
import { openStore } from '../lib/server/db/store.ts';
import { audit } from '../lib/server/audit/audit.ts';
import { generatePassword, hashPassword, passwordProblem } from '../lib/server/auth/password.ts';
import { checkGrant, grantRole, revokeRole, RoleError } from '../lib/server/auth/roles.ts';
import { createUser, emailTaken, getUserByEmail, listUsers } from '../lib/server/auth/user.ts';
import { CliError, runStoreCli } from './store-cli.ts';

const USAGE = `Usage: npm run admin -- <command> [options]

  create-user --email E --name N [--role admin|official|judge] [--scope S]
      Creates an account (e-mail marked verified). The password is read from standard input
      when it is piped (echo 'a long passphrase' | npm run admin -- create-user ...);
      otherwise one is generated and printed once.
  grant-role  --email E --role admin|official|judge [--scope S]
      official needs --scope <OPD code from kota.config.yaml>; judge needs --scope <event id>.
  revoke-role --email E --role admin|official|judge [--scope S]
  list-users  [--search TEXT]

Works while the server runs: accounts live in the app-state store (DATA_DIR/app.sqlite, or DATABASE_URL),
which any process may write, and the server reads them on every request.`;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function openDatabase(): Promise<void> {
  await openStore();
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new CliError(`${flag} is required\n\n${USAGE}`);
  return value;
}

function grantFrom(values: { role?: string; scope?: string }) {
  try {
    return checkGrant({ role: need(values.role, '--role'), scope: values.scope ?? '' });
  } catch (error) {
    if (error instanceof RoleError) throw new CliError(error.message);
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, scope: { type: 'string' }, search: { type: 'string' } },
  });
  switch (command) {
    case 'create-user': {
      const email = need(values.email, '--email');
      const name = need(values.name, '--name');
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new CliError(`--email: "${email}" is not an e-mail address`);
      const grant = values.role ? grantFrom(values) : null;
      let password = await readStdin();
      const generated = password === '';
      if (generated) password = generatePassword();
      const problem = passwordProblem(password);
      if (problem) throw new CliError(`password from standard input refused: ${problem.replace('_', ' ')} (8 to 255 characters, not a common password)`);
      await openDatabase();
      if (await emailTaken(email)) throw new CliError(`an account with ${email} already exists (use grant-role to change its roles)`);
      const user = await createUser({ email, name, passwordHash: await hashPassword(password), emailVerified: true });
      await audit('signup', { subjectId: user.id, detail: 'created with the admin CLI' });
      if (grant) {
        await grantRole(user.id, grant, null);
        await audit('role.grant', { subjectId: user.id, detail: `${grant.role}${grant.scope ? ` ${grant.scope}` : ''} (admin CLI)` });
      }
      console.log(`created ${user.email} (${user.id})${grant ? ` with role ${grant.role}${grant.scope ? ` ${grant.scope}` : ''}` : ''}`);
      if (generated) console.log(`password (shown once, store it now): ${password}`);
      return;
    }
    case 'grant-role':
    case 'revoke-role': {
      const email = need(values.email, '--email');
      const grant = grantFrom(values);
      await openDatabase();
      const user = await getUserByEmail(email);
      if (!user) throw new CliError(`no account with ${email}`);
      const changed = command === 'grant-role' ? await grantRole(user.id, grant, null) : await revokeRole(user.id, grant);
      const label = `${grant.role}${grant.scope ? ` ${grant.scope}` : ''}`;
      if (changed) await audit(command === 'grant-role' ? 'role.grant' : 'role.revoke', { subjectId: user.id, detail: `${label} (admin CLI)` });
      console.log(changed ? `${command === 'grant-role' ? 'granted' : 'revoked'} ${label} for ${email}` : `nothing to change: ${email} ${command === 'grant-role' ? 'already has' : 'does not have'} ${label}`);
      return;
    }
    case 'list-users': {
      await openDatabase();
      const { users, total } = await listUsers({ search: values.search, limit: 1000 });
      for (const u of users) console.log(`${u.email}\t${u.name}\t${u.roles.map((g) => (g.scope ? `${g.role}:${g.scope}` : g.role)).join(',') || 'participant'}`);
      console.log(`${total} account(s)`);
      return;
    }
    default:
      throw new CliError(command ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
  }
}

await runStoreCli('admin', main);
