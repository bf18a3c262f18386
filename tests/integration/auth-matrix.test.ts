import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { nodeBinary } from '../../src/cli/node-binary.ts';
import { Client, seedUser } from './auth-helpers.ts';

/**
 * The authorization matrix: every page, endpoint and action, and what each kind of visitor gets.
 * Adding a file under src/pages or an action under src/actions without a row here fails the first test.
 */
const WHO = ['anonymous', 'participant', 'judge', 'officialDinkes', 'officialDishub', 'admin'] as const;
type Who = (typeof WHO)[number];
/** A status for everyone, one per kind of visitor, or 'public': the same answer for all, never 401/403. */
type Expect = number | 'public' | Partial<Record<Who | 'others', number>>;

interface Row {
  /** The page file (relative to src/pages) or action (`domain.name`) this row covers. */
  covers: string;
  method: 'GET' | 'POST';
  path: string;
  form?: Record<string, string | string[]>;
  expect: Expect;
  /** The request ends the caller's session: log in again afterwards. */
  endsSession?: boolean;
}

const signedIn = (status: number): Expect => ({ anonymous: 401, others: status });
const adminOnly = (status: number): Expect => ({ admin: status, anonymous: 401, others: 403 });
const pageForAccounts: Expect = { anonymous: 302, others: 200 };
const adminPage: Expect = { anonymous: 302, admin: 200, others: 403 };
/** Pages send visitors to log in (302), actions answer 401; dinkes officials and admins get `status`, others 403. */
const badamiWrite = (status: number): Expect => ({ anonymous: status === 200 ? 302 : 401, officialDinkes: status, admin: status, others: 403 });

const eventForm = {
  title: 'Acara matriks',
  description: '',
  rules: '',
  prizes: '',
  cover_url: '',
  team_size_max: '3',
  vote_limit: '3',
  ranking_method: 'weighted',
  registration_at: '2026-02-01T00:00',
  submission_at: '2026-02-02T00:00',
  judging_at: '2026-02-04T00:00',
  results_at: '2026-02-05T00:00',
};

const matrix: Row[] = [
  // public pages and endpoints (other domains': their own tests check the content)
  { covers: 'index.astro', method: 'GET', path: '/', expect: 200 },
  { covers: '404.astro', method: 'GET', path: '/tidak-ada', expect: 404 },
  { covers: 'datasets/[id].astro', method: 'GET', path: '/datasets/tidak-ada', expect: 404 },
  { covers: 'api/v1/health.ts', method: 'GET', path: '/api/v1/health', expect: 200 },
  { covers: 'datasets/index.astro', method: 'GET', path: '/datasets', expect: 'public' },
  { covers: 'datasets/[id].jsonld.ts', method: 'GET', path: '/datasets/tidak-ada.jsonld', expect: 'public' },
  { covers: 'datasets/[id]/datapackage.json.ts', method: 'GET', path: '/datasets/tidak-ada/datapackage.json', expect: 'public' },
  { covers: 'datasets/[id]/chart.astro', method: 'GET', path: '/datasets/tidak-ada/chart', expect: 'public' },
  { covers: 'datasets/[id]/chart.svg.ts', method: 'GET', path: '/datasets/tidak-ada/chart.svg', expect: 'public' },
  { covers: 'datasets/[id]/versions/[version].astro', method: 'GET', path: '/datasets/tidak-ada/versions/v1', expect: 'public' },
  { covers: 'api-docs.astro', method: 'GET', path: '/api-docs', expect: 'public' },
  { covers: 'catalog.jsonld.ts', method: 'GET', path: '/catalog.jsonld', expect: 'public' },
  { covers: 'sitemap.xml.ts', method: 'GET', path: '/sitemap.xml', expect: 'public' },
  { covers: 'robots.txt.ts', method: 'GET', path: '/robots.txt', expect: 'public' },
  { covers: 'theme.css.ts', method: 'GET', path: '/theme.css', expect: 'public' },
  { covers: 'design.astro', method: 'GET', path: '/design', expect: 200 },
  { covers: '500.astro', method: 'GET', path: '/500', expect: 'public' },
  { covers: '503.astro', method: 'GET', path: '/503', expect: 503 },
  { covers: 'og/home.png.ts', method: 'GET', path: '/og/home.png', expect: 200 },
  { covers: 'og/datasets/[id].png.ts', method: 'GET', path: '/og/datasets/tidak-ada.png', expect: 404 },
  { covers: 'sql.astro', method: 'GET', path: '/sql?sql=SELECT%201', expect: 'public' },
  { covers: 'sql/[name].astro', method: 'GET', path: '/sql/tidak-ada', expect: 'public' },
  { covers: 'datasets/[id]/queries/[name].astro', method: 'GET', path: '/datasets/tidak-ada/queries/x', expect: 'public' },
  { covers: 'api/3/index.ts', method: 'GET', path: '/api/3', expect: 'public' },
  { covers: 'api/action/[action].ts', method: 'GET', path: '/api/action/package_list', expect: 'public' },
  { covers: 'api/v1/sql/download.[format].ts', method: 'GET', path: '/api/v1/sql/download.csv?sql=SELECT%201', expect: 'public' },
  { covers: 'api/v1/queries/index.ts', method: 'GET', path: '/api/v1/queries', expect: 'public' },
  { covers: 'api/v1/queries/[name].ts', method: 'GET', path: '/api/v1/queries/tidak-ada', expect: 'public' },
  { covers: 'api/v1/queries/[name]/download.[format].ts', method: 'GET', path: '/api/v1/queries/tidak-ada/download.csv', expect: 'public' },
  { covers: 'api/v1/datasets/[id]/queries/[name].ts', method: 'GET', path: '/api/v1/datasets/tidak-ada/queries/x', expect: 'public' },
  { covers: 'api/v1/datasets/[id]/queries/[name]/download.[format].ts', method: 'GET', path: '/api/v1/datasets/tidak-ada/queries/x/download.csv', expect: 'public' },
  { covers: 'api/3/action/[action].ts', method: 'GET', path: '/api/3/action/package_list', expect: 'public' },
  { covers: 'api/v1/openapi.json.ts', method: 'GET', path: '/api/v1/openapi.json', expect: 'public' },
  { covers: 'api/v1/organizations.ts', method: 'GET', path: '/api/v1/organizations', expect: 'public' },
  { covers: 'api/v1/topics.ts', method: 'GET', path: '/api/v1/topics', expect: 'public' },
  { covers: 'api/v1/sql.ts', method: 'GET', path: '/api/v1/sql?sql=SELECT%201', expect: 'public' },
  { covers: 'api/v1/datasets/index.ts', method: 'GET', path: '/api/v1/datasets', expect: 'public' },
  { covers: 'api/v1/datasets/[id].ts', method: 'GET', path: '/api/v1/datasets/tidak-ada', expect: 'public' },
  { covers: 'api/v1/datasets/[id]/rows.ts', method: 'GET', path: '/api/v1/datasets/tidak-ada/rows', expect: 'public' },
  { covers: 'api/v1/datasets/[id]/facets.ts', method: 'GET', path: '/api/v1/datasets/tidak-ada/facets', expect: 'public' },
  { covers: 'api/v1/datasets/[id]/download.[format].ts', method: 'GET', path: '/api/v1/datasets/tidak-ada/download.csv', expect: 'public' },
  { covers: 'api/v1/datasets/[id]/versions/[version]/rows.ts', method: 'GET', path: '/api/v1/datasets/tidak-ada/versions/v1/rows', expect: 'public' },
  {
    covers: 'api/v1/datasets/[id]/versions/[version]/download.[format].ts',
    method: 'GET',
    path: '/api/v1/datasets/tidak-ada/versions/v1/download.csv',
    expect: 'public',
  },
  // accounts
  { covers: 'signup.astro', method: 'GET', path: '/signup', expect: { anonymous: 200, others: 302 } },
  { covers: 'login.astro', method: 'GET', path: '/login', expect: { anonymous: 200, others: 302 } },
  { covers: 'verify-email.astro', method: 'GET', path: '/verify-email?token=abc', expect: 200 },
  { covers: 'reset-password.astro', method: 'GET', path: '/reset-password', expect: 200 },
  { covers: 'account/index.astro', method: 'GET', path: '/account', expect: pageForAccounts },
  {
    covers: 'account/opd/[code].astro',
    method: 'GET',
    path: '/account/opd/dinkes',
    expect: { anonymous: 302, participant: 403, judge: 403, officialDinkes: 200, officialDishub: 403, admin: 200 },
  },
  { covers: 'api/v1/account/me.ts', method: 'GET', path: '/api/v1/account/me', expect: { anonymous: 401, others: 200 } },
  { covers: 'admin/index.astro', method: 'GET', path: '/admin', expect: adminPage },
  { covers: 'admin/audit.astro', method: 'GET', path: '/admin/audit', expect: adminPage },
  { covers: 'admin/users/[id].astro', method: 'GET', path: '/admin/users/:participant', expect: adminPage },
  // actions, called as the browser's form would (RPC endpoint, form body)
  { covers: 'auth.signup', method: 'POST', path: '/_actions/auth.signup', form: {}, expect: 400 },
  { covers: 'auth.login', method: 'POST', path: '/_actions/auth.login', form: {}, expect: 400 },
  { covers: 'auth.verifyEmail', method: 'POST', path: '/_actions/auth.verifyEmail', form: { token: 'aaaaaaaa.bbbbbbbbbbbbbbbb' }, expect: 400 },
  { covers: 'auth.requestReset', method: 'POST', path: '/_actions/auth.requestReset', form: { email: ':who@example.com' }, expect: 200 },
  { covers: 'auth.resetPassword', method: 'POST', path: '/_actions/auth.resetPassword', form: { token: 'aaaaaaaa.bbbbbbbbbbbbbbbb', password: 'sandi yang cukup panjang' }, expect: 400 },
  { covers: 'auth.updateProfile', method: 'POST', path: '/_actions/auth.updateProfile', form: { name: 'Nama Baru' }, expect: signedIn(200) },
  { covers: 'auth.changePassword', method: 'POST', path: '/_actions/auth.changePassword', form: { current: 'bukan sandinya', password: 'sandi baru yang panjang' }, expect: signedIn(400) },
  { covers: 'auth.resendVerification', method: 'POST', path: '/_actions/auth.resendVerification', form: {}, expect: signedIn(200) },
  { covers: 'auth.createToken', method: 'POST', path: '/_actions/auth.createToken', form: { name: 'uji', scopes: ['read'] }, expect: signedIn(200) },
  { covers: 'auth.revokeToken', method: 'POST', path: '/_actions/auth.revokeToken', form: { id: 'tidakada' }, expect: signedIn(404) },
  { covers: 'auth.deleteAccount', method: 'POST', path: '/_actions/auth.deleteAccount', form: { password: 'bukan sandinya' }, expect: signedIn(400) },
  { covers: 'admin.grantRole', method: 'POST', path: '/_actions/admin.grantRole', form: { userId: ':participant', role: 'judge', scope: 'matrix-event' }, expect: adminOnly(200) },
  { covers: 'admin.revokeRole', method: 'POST', path: '/_actions/admin.revokeRole', form: { userId: ':participant', role: 'judge', scope: 'matrix-event' }, expect: adminOnly(200) },
  // datathon (the labelled demo events: E in public voting, organised by its demo organiser, whom no row signs in as)
  { covers: 'datathon/index.astro', method: 'GET', path: '/datathon', expect: 200 },
  { covers: 'datathon/gallery.astro', method: 'GET', path: '/datathon/gallery?event=demo-datathon-2026', expect: 200 },
  { covers: 'datathon/new.astro', method: 'GET', path: '/datathon/new', expect: { anonymous: 302, participant: 403, judge: 403, officialDinkes: 200, officialDishub: 200, admin: 200 } },
  { covers: 'datathon/[event]/index.astro', method: 'GET', path: '/datathon/demo-datathon-2026', expect: 200 },
  { covers: 'datathon/[event]/challenges/[challenge].astro', method: 'GET', path: '/datathon/demo-datathon-2026/challenges/:challenge', expect: 200 },
  { covers: 'datathon/[event]/challenges/[challenge]/starter-kit.zip.ts', method: 'GET', path: '/datathon/demo-datathon-2026/challenges/:challenge/starter-kit.zip', expect: 200 },
  { covers: 'datathon/[event]/team.astro', method: 'GET', path: '/datathon/demo-datathon-2026/team', expect: { anonymous: 302, others: 404 } },
  { covers: 'datathon/join/[code].astro', method: 'GET', path: '/datathon/join/kode-palsu', expect: { anonymous: 302, others: 404 } },
  { covers: 'datathon/[event]/submission.astro', method: 'GET', path: '/datathon/demo-datathon-2026/submission', expect: { anonymous: 302, others: 404 } },
  { covers: 'datathon/submissions/[id].astro', method: 'GET', path: '/datathon/submissions/:submission', expect: 200 },
  { covers: 'datathon/submissions/[id]/revisions.astro', method: 'GET', path: '/datathon/submissions/:submission/revisions', expect: 200 },
  // the matrix's judge judges another event; the admin may open the judging page but is assigned to score nothing
  { covers: 'datathon/[event]/judge.astro', method: 'GET', path: '/datathon/demo-datathon-2026/judge', expect: { anonymous: 302, admin: 200, others: 403 } },
  { covers: 'datathon/[event]/judge/[submission].astro', method: 'GET', path: '/datathon/demo-datathon-2026/judge/:submission', expect: { anonymous: 302, others: 403 } },
  { covers: 'datathon/[event]/export/[name].[format].ts', method: 'GET', path: '/datathon/demo-datathon-2026/export/votes.csv', expect: { anonymous: 401, admin: 200, others: 403 } },
  { covers: 'datathon/[event]/manage.astro', method: 'GET', path: '/datathon/demo-datathon-2026/manage', expect: { anonymous: 302, admin: 200, others: 403 } },
  // datathon actions: each form valid, so what answers is the rule (or, past it, the domain: phase, unknown ids)
  { covers: 'datathon.createEvent', method: 'POST', path: '/_actions/datathon.createEvent', form: { id: 'matriks-acara', ...eventForm, voting_at: '2026-01-01T00:00' }, expect: { anonymous: 401, participant: 403, judge: 403, others: 400 } },
  { covers: 'datathon.updateEvent', method: 'POST', path: '/_actions/datathon.updateEvent', form: { event: 'demo-datathon-2026', ...eventForm, voting_at: '2026-01-01T00:00' }, expect: { anonymous: 401, admin: 400, others: 403 } },
  { covers: 'datathon.addOrganiser', method: 'POST', path: '/_actions/datathon.addOrganiser', form: { event: 'demo-datathon-2026', email: 'tidak-ada@matrix.test' }, expect: { anonymous: 401, admin: 404, others: 403 } },
  { covers: 'datathon.saveChallenge', method: 'POST', path: '/_actions/datathon.saveChallenge', form: { event: 'demo-datathon-2026', title: 'Uji matriks', problem: 'Masalah uji matriks', opd: 'bukan-opd' }, expect: { anonymous: 401, admin: 400, others: 403 } },
  { covers: 'datathon.addCriterion', method: 'POST', path: '/_actions/datathon.addCriterion', form: { event: 'demo-datathon-2026', name: 'Uji', description: '', weight: '0', scale_max: '5' }, expect: { anonymous: 401, admin: 400, others: 403 } },
  { covers: 'datathon.assignJudge', method: 'POST', path: '/_actions/datathon.assignJudge', form: { event: 'demo-datathon-2026', email: 'tidak-ada@matrix.test' }, expect: { anonymous: 401, admin: 404, others: 403 } },
  { covers: 'datathon.createTeam', method: 'POST', path: '/_actions/datathon.createTeam', form: { event: 'demo-datathon-2026', name: 'Tim :who' }, expect: signedIn(409) },
  { covers: 'datathon.joinTeam', method: 'POST', path: '/_actions/datathon.joinTeam', form: { code: 'kode-palsu' }, expect: signedIn(404) },
  { covers: 'datathon.renewInvite', method: 'POST', path: '/_actions/datathon.renewInvite', form: { team: 'tidak-ada' }, expect: signedIn(404) },
  { covers: 'datathon.transferLeadership', method: 'POST', path: '/_actions/datathon.transferLeadership', form: { team: 'tidak-ada', userId: 'tidak-ada' }, expect: signedIn(404) },
  { covers: 'datathon.leaveTeam', method: 'POST', path: '/_actions/datathon.leaveTeam', form: { team: 'tidak-ada' }, expect: signedIn(404) },
  { covers: 'datathon.saveSubmission', method: 'POST', path: '/_actions/datathon.saveSubmission', form: { event: 'demo-datathon-2026', challenge_id: ':challenge', title: 'Ide matriks' }, expect: signedIn(409) },
  { covers: 'datathon.setSubmitted', method: 'POST', path: '/_actions/datathon.setSubmitted', form: { submission: ':submission', submitted: 'false' }, expect: signedIn(403) },
  { covers: 'datathon.vote', method: 'POST', path: '/_actions/datathon.vote', form: { submission: ':submission' }, expect: signedIn(200) },
  { covers: 'datathon.withdrawVote', method: 'POST', path: '/_actions/datathon.withdrawVote', form: { submission: ':submission' }, expect: signedIn(200) },
  { covers: 'datathon.score', method: 'POST', path: '/_actions/datathon.score', form: { submission: ':submission', 'score-x': '3' }, expect: signedIn(403) },
  { covers: 'datathon.compare', method: 'POST', path: '/_actions/datathon.compare', form: { event: 'demo-datathon-2026', first: ':submission', second: ':submission2', winner: ':submission' }, expect: signedIn(403) },
  { covers: 'datathon.publishResults', method: 'POST', path: '/_actions/datathon.publishResults', form: { event: 'demo-datathon-2026', 'award-:submission': 'winner' }, expect: { anonymous: 401, admin: 409, others: 403 } },
  { covers: 'datathon.declareConflict', method: 'POST', path: '/_actions/datathon.declareConflict', form: { submission: ':submission', reason: 'uji matriks' }, expect: { anonymous: 401, admin: 200, others: 403 } },
  // discussions (src/lib/server/community): unknown subjects and comments answer 404 to anyone signed in
  { covers: 'discussions/[type]/[id].astro', method: 'GET', path: '/discussions/dataset/tidak-ada', expect: 404 },
  { covers: 'notifications/index.astro', method: 'GET', path: '/notifications', expect: pageForAccounts },
  { covers: 'notifications/settings.astro', method: 'GET', path: '/notifications/settings', expect: pageForAccounts },
  { covers: 'moderation.astro', method: 'GET', path: '/moderation', expect: pageForAccounts },
  { covers: 'uploads/[id].ts', method: 'GET', path: '/uploads/tidakadaberkas', expect: 404 },
  // without a file the form is refused by its schema, before anyone's identity matters
  { covers: 'community.uploadFile', method: 'POST', path: '/_actions/community.uploadFile', form: { subject: 'dataset:tidak-ada' }, expect: 400 },
  { covers: 'community.deleteUpload', method: 'POST', path: '/_actions/community.deleteUpload', form: { id: 'tidakadaberkas' }, expect: signedIn(404) },
  { covers: 'community.postComment', method: 'POST', path: '/_actions/community.postComment', form: { subject: 'dataset:tidak-ada', body: 'halo' }, expect: signedIn(404) },
  { covers: 'community.editComment', method: 'POST', path: '/_actions/community.editComment', form: { id: 'tidakada', body: 'halo' }, expect: signedIn(404) },
  { covers: 'community.deleteComment', method: 'POST', path: '/_actions/community.deleteComment', form: { id: 'tidakada' }, expect: signedIn(404) },
  { covers: 'community.flagComment', method: 'POST', path: '/_actions/community.flagComment', form: { id: 'tidakada', reason: 'spam' }, expect: signedIn(404) },
  { covers: 'community.moderateComment', method: 'POST', path: '/_actions/community.moderateComment', form: { id: 'tidakada', decision: 'hide', reason: 'uji matriks' }, expect: signedIn(404) },
  { covers: 'community.markOfficial', method: 'POST', path: '/_actions/community.markOfficial', form: { id: 'tidakada', official: 'true' }, expect: signedIn(404) },
  { covers: 'community.follow', method: 'POST', path: '/_actions/community.follow', form: { subject: 'dataset:tidak-ada', follow: 'true' }, expect: signedIn(404) },
  { covers: 'community.markNotificationsRead', method: 'POST', path: '/_actions/community.markNotificationsRead', form: { all: 'true' }, expect: signedIn(200) },
  { covers: 'community.saveNotificationSettings', method: 'POST', path: '/_actions/community.saveNotificationSettings', form: { 'community.comment_reply': 'app' }, expect: signedIn(200) },
  // the Badami board (src/lib/server/badami): reading is public; writing is for the innovation's OPD (dinkes) and admins,
  // each refused before anything changes (forms here are incomplete or repeat the stage, so nothing is ever written)
  { covers: 'badami/index.astro', method: 'GET', path: '/badami', expect: 'public' },
  { covers: 'badami/feed.xml.ts', method: 'GET', path: '/badami/feed.xml', expect: 200 },
  { covers: 'badami/dashboard.astro', method: 'GET', path: '/badami/dashboard?opd=dinkes', expect: 'public' },
  { covers: 'badami/innovations/[id]/feed.xml.ts', method: 'GET', path: '/badami/innovations/:innovation/feed.xml', expect: 200 },
  { covers: 'badami/export.ts', method: 'GET', path: '/badami/export?opd=dinkes', expect: { anonymous: 401, officialDinkes: 200, admin: 200, others: 403 } },
  { covers: 'badami/new.astro', method: 'GET', path: '/badami/new', expect: { anonymous: 302, participant: 403, judge: 403, officialDinkes: 200, officialDishub: 200, admin: 200 } },
  { covers: 'badami/innovations/[id]/index.astro', method: 'GET', path: '/badami/innovations/:innovation', expect: 200 },
  { covers: 'badami/innovations/[id]/edit.astro', method: 'GET', path: '/badami/innovations/:innovation/edit', expect: badamiWrite(200) },
  { covers: 'badami.create', method: 'POST', path: '/_actions/badami.create', form: { opd: 'dinkes', title: '' }, expect: badamiWrite(400) },
  { covers: 'badami.update', method: 'POST', path: '/_actions/badami.update', form: { id: ':innovation', opd: 'dinkes', title: '' }, expect: badamiWrite(400) },
  { covers: 'badami.move', method: 'POST', path: '/_actions/badami.move', form: { id: ':innovation', to: 'ide', note: 'tetap' }, expect: badamiWrite(409) },
  { covers: 'badami.addMilestone', method: 'POST', path: '/_actions/badami.addMilestone', form: { id: ':innovation', title: '' }, expect: badamiWrite(400) },
  { covers: 'badami.completeMilestone', method: 'POST', path: '/_actions/badami.completeMilestone', form: { id: ':innovation', milestone: '999999' }, expect: badamiWrite(404) },
  { covers: 'badami.addKpi', method: 'POST', path: '/_actions/badami.addKpi', form: { id: ':innovation', name: '' }, expect: badamiWrite(400) },
  { covers: 'badami.measure', method: 'POST', path: '/_actions/badami.measure', form: { id: ':innovation', kpi: '999999', value: '1' }, expect: badamiWrite(404) },
  { covers: 'badami.bindKpi', method: 'POST', path: '/_actions/badami.bindKpi', form: { id: ':innovation', kpi: '999999', dataset: 'uji', query: 'SELECT 1' }, expect: badamiWrite(404) },
  // promoting an awarded datathon idea is the datathon's rule (datathon.promote: the event's organisers and admins)
  { covers: 'badami.promote', method: 'POST', path: '/_actions/badami.promote', form: { submission: ':winner', opd: 'dinkes', affair: '' }, expect: { anonymous: 401, admin: 400, others: 403 } },
  // bulk update, evidence zip, health override and standalone evidence (badami-import): the same rules; an empty
  // import is refused (400) for any official before its rows are read, and for anyone else 403
  { covers: 'badami/import.astro', method: 'GET', path: '/badami/import', expect: { anonymous: 302, participant: 403, judge: 403, officialDinkes: 200, officialDishub: 200, admin: 200 } },
  { covers: 'badami/evidence.zip.ts', method: 'GET', path: '/badami/evidence.zip?opd=dinkes', expect: { anonymous: 401, officialDinkes: 200, admin: 200, others: 403 } },
  { covers: 'badamiImport.upload', method: 'POST', path: '/_actions/badamiImport.upload', form: { kind: 'milestones' }, expect: { anonymous: 401, officialDinkes: 400, officialDishub: 400, admin: 400, others: 403 } },
  { covers: 'badamiManage.health', method: 'POST', path: '/_actions/badamiManage.health', form: { id: ':innovation', health: 'sehat', reason: '' }, expect: badamiWrite(400) },
  { covers: 'badamiManage.evidence', method: 'POST', path: '/_actions/badamiManage.evidence', form: { id: ':innovation' }, expect: badamiWrite(400) },
  { covers: 'badami.postUpdate', method: 'POST', path: '/_actions/badami.postUpdate', form: { id: ':innovation', title: '' }, expect: badamiWrite(400) },
  { covers: 'logout.ts', method: 'POST', path: '/logout', expect: 303, endsSession: true },
  { covers: 'auth.logoutEverywhere', method: 'POST', path: '/_actions/auth.logoutEverywhere', form: {}, expect: signedIn(200), endsSession: true },
];

function expected(row: Row, who: Who, answers: Record<string, number>): number {
  if (row.expect === 'public') {
    // whatever the anonymous visitor got, as long as it is not an authorization refusal
    return [401, 403].includes(answers.anonymous!) ? -1 : answers.anonymous!;
  }
  if (typeof row.expect === 'number') return row.expect;
  return row.expect[who] ?? row.expect.others!;
}

function pageFiles(dir = path.join(REPO_ROOT, 'src/pages')): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(astro|ts|js|md|mdx|html)$/.test(e.name))
    .map((e) => path.relative(path.join(REPO_ROOT, 'src/pages'), path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** `domain.name` for every `name: defineAction(` inside `export const domain = {` in src/actions. */
function actionNames(): string[] {
  const dir = path.join(REPO_ROOT, 'src/actions');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    let domain = '';
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      domain = line.match(/^export const (\w+) = \{/)?.[1] ?? domain;
      const action = line.match(/^\s+(\w+): defineAction\(/)?.[1];
      if (action) names.push(`${domain}.${action}`);
    }
  }
  return names;
}

test('every page, endpoint and action is in the matrix', () => {
  const covered = new Set(matrix.map((r) => r.covers));
  const missing = [...pageFiles(), ...actionNames()].filter((name) => !covered.has(name));
  expect(missing, 'add a row to tests/integration/auth-matrix.test.ts for each of these').toEqual([]);
  const stale = [...covered].filter((name) => !pageFiles().includes(name) && !actionNames().includes(name));
  expect(stale, 'rows for routes that no longer exist').toEqual([]);
});

let dataDir: string;
let server: TestServer;
const ids: Record<string, string> = {};
const clients = new Map<Who, Client>();
const password = 'sandi matriks yang panjang';
const accounts: Record<Exclude<Who, 'anonymous'>, { role?: string; scope?: string }> = {
  participant: {},
  judge: { role: 'judge', scope: 'datathon-2026' },
  officialDinkes: { role: 'official', scope: 'dinkes' },
  officialDishub: { role: 'official', scope: 'dishub' },
  admin: { role: 'admin' },
};
const email = (who: string) => `${who.toLowerCase()}@matrix.test`;

async function clientFor(who: Who): Promise<Client> {
  let client = clients.get(who);
  if (!client) {
    client = new Client(server.url);
    if (who !== 'anonymous') await client.logIn(email(who), password);
    clients.set(who, client);
  }
  return client;
}

beforeAll(async () => {
  dataDir = makeTempDir('kota-auth-matrix-');
  for (const [who, grant] of Object.entries(accounts)) seedUser(dataDir, { email: email(who), name: who, password, ...grant });
  // the labelled demo events, as `npm start` seeds them; their ids for the datathon rows
  const demo = spawnSync(nodeBinary(REPO_ROOT), [path.join(REPO_ROOT, 'src/cli/datathon.ts'), 'demo'], { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`datathon demo: ${demo.stderr}`);
  const app = new DatabaseSync(path.join(dataDir, 'app.sqlite'), { readOnly: true });
  const rows = app.prepare("SELECT id, challenge_id FROM datathon_submission WHERE event_id = 'demo-datathon-2026' ORDER BY id").all() as { id: string; challenge_id: string }[];
  const winner = app.prepare("SELECT submission_id AS id FROM datathon_award WHERE event_id = 'demo-datathon-2025' AND award = 'winner'").get() as { id: string };
  app.close();
  Object.assign(ids, { submission: rows[0]!.id, submission2: rows[1]!.id, challenge: rows[0]!.challenge_id, winner: winner.id });
  // the log-in limits are not what this test is about
  server = await startTestServer({ dataDir, env: { AUTH_RATE_LIMIT_SCALE: '0.000001' } });
  const me = await (await clientFor('participant')).get('/api/v1/account/me');
  ids.participant = JSON.parse(me.text).id;
  // One innovation of dinkes, registered the way its official would.
  const created = await (await clientFor('officialDinkes')).post('/badami/new?_action=badami.create', {
    title: 'Inovasi matriks', summary: 'Inovasi untuk menguji matriks otorisasi.', opd: 'dinkes', initiator: 'opd', innovation_type: 'digital',
    form: 'pelayanan_publik', affair: 'kesehatan', city_wide: 'true',
  });
  ids.innovation = /\/badami\/innovations\/([a-z0-9]+)$/.exec(created.location ?? '')?.[1] ?? 'belum-terdaftar';
});

afterAll(async () => {
  await server?.stop();
  removeDir(dataDir);
});

describe('authorization matrix', () => {
  for (const row of matrix) {
    test(`${row.method} ${row.path} (${row.covers})`, async () => {
      const answers: Record<string, number> = {};
      const wanted: Record<string, number> = {};
      for (const who of WHO) {
        const client = await clientFor(who);
        const fill = (text: string) => text.replace(':who', who).replace(/:(participant|challenge|submission2|submission|innovation|winner)\b/g, (_, name: string) => ids[name]!);
        const target = fill(row.path);
        const form = row.form && Object.fromEntries(Object.entries(row.form).map(([k, v]) => [fill(k), typeof v === 'string' ? fill(v) : v]));
        const reply = row.method === 'GET' ? await client.get(target) : await client.post(target, form ?? {});
        answers[who] = reply.status;
        wanted[who] = expected(row, who, answers);
        if (row.endsSession) clients.delete(who);
      }
      expect(answers).toEqual(wanted);
    });
  }

  test('an anonymous visitor is sent to the log-in page and back', async () => {
    const reply = await (await clientFor('anonymous')).get('/admin/audit');
    expect(reply.location).toBe('/login?next=%2Fadmin%2Faudit');
  });

  test('an API token acts as its owner within its scopes only', async () => {
    const admin = await clientFor('admin');
    const created = await admin.post('/account?_action=auth.createToken', { name: 'matriks', scopes: ['read'] });
    const token = created.text.match(/kt_[a-z2-7]+\.[a-z2-7]+/)?.[0];
    expect(token).toBeDefined();
    const bearer = new Client(server.url);
    const me = await bearer.get('/api/v1/account/me', { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ email: 'admin@matrix.test', tokenScopes: ['read'] });
    // a token may not manage the account or use admin pages, even an admin's
    expect((await bearer.post('/_actions/auth.updateProfile', { name: 'x' }, { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await bearer.post('/_actions/admin.grantRole', { userId: ids.participant!, role: 'admin' }, { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await bearer.get('/admin', { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await bearer.get('/api/v1/account/me', { authorization: 'Bearer kt_aaaaaaaa.bbbbbbbbbbbbbbbb' })).status).toBe(401);
  });
});
