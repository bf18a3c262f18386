import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, visibleText } from './auth-helpers.ts';
import { OFFICIAL, startViewsServer } from './badami-views-fixture.ts';

/**
 * The Badami board's views on the real server, over the five innovations of badami-views-fixture.ts: the filters by
 * topic, origin and kecamatan in the URL (on the table and the map), the map per kecamatan on the 30 real boundaries,
 * the city and OPD dashboards (every figure equal to what was seeded) and the Atom feeds per innovation and per OPD.
 */
let root: string;
let server: TestServer;

beforeAll(async () => {
  root = makeTempDir('kota-badami-views-');
  server = await startViewsServer(root);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

/** The innovation titles the table view lists, in order. */
async function tableTitles(query: string): Promise<string[]> {
  const page = await server.get(`/badami?view=table&sort=title${query}`);
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/<td data-label="[^"]*"[^>]*><a href="\/badami\/innovations\/[^"]+"[^>]*>([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);
}

/** The titles of the map's areas ("Coblong (32.73.02): 2"). */
function areaTitles(html: string): string[] {
  const figure = /<figure class="map"[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
  const svg = /<svg[\s\S]*<\/svg>/.exec(figure)?.[0] ?? '';
  return [...svg.matchAll(/<path[^>]*>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
}

/** A dashboard chart's table as visible text. */
function chartText(html: string, id: string): string {
  return visibleText(new RegExp(`<section[^>]*data-chart="${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '').replace(/&lt;/g, '<');
}

describe('filters in the URL', () => {
  test('topic, origin and kecamatan narrow the table to the innovations that match, alone and with the others', async () => {
    expect(await tableTitles('')).toEqual(['Inovasi vA', 'Inovasi vB', 'Inovasi vC', 'Inovasi vD', 'Inovasi vE']);
    expect(await tableTitles('&topic=transportasi')).toEqual(['Inovasi vC', 'Inovasi vE']);
    expect(await tableTitles('&origin=citizen')).toEqual(['Inovasi vB', 'Inovasi vC']);
    // A kecamatan keeps the innovations serving it and those serving the whole city.
    expect(await tableTitles('&kecamatan=32.73.05')).toEqual(['Inovasi vB', 'Inovasi vC', 'Inovasi vD']);
    expect(await tableTitles('&kecamatan=32.73.05&origin=opd')).toEqual(['Inovasi vD']);
    expect(await tableTitles('&topic=transportasi&opd=dishub&stage=inisiatif')).toEqual(['Inovasi vE']);
    expect(await tableTitles('&topic=kesehatan&topic=sampah')).toEqual(['Inovasi vA', 'Inovasi vD']);
    // A value that is not allowed is dropped, not passed on.
    expect(await tableTitles('&origin=bukan&kecamatan=zz')).toHaveLength(5);
  });

  test('the form offers the new filters with the chosen values selected, and view links keep them', async () => {
    const page = await server.get('/badami?view=table&topic=transportasi&kecamatan=32.73.01&origin=opd');
    expect(page.text).toMatch(/<select name="topic"[^>]*>[\s\S]*?<option value="transportasi" selected[^>]*>transportasi<\/option>/);
    expect(page.text).toMatch(/<select name="kecamatan"[^>]*>[\s\S]*?<option value="32.73.01" selected[^>]*>Sukasari<\/option>/);
    expect(page.text).toMatch(/<select name="origin"[^>]*>[\s\S]*?<option value="opd" selected[^>]*>/);
    expect(page.text).toContain('href="/badami?topic=transportasi&amp;origin=opd&amp;kecamatan=32.73.01&amp;view=map"');
    expect(visibleText(page.text)).toContain('1 inovasi');
  });
});

describe('the map view', () => {
  test('draws the 30 kecamatan, each titled with its name and count; city-wide innovations are counted apart', async () => {
    const page = await server.get('/badami?view=map');
    expect(page.status).toBe(200);
    const titles = areaTitles(page.text);
    expect(titles).toHaveLength(30);
    expect(titles).toContain('Coblong (32.73.02): 2');
    expect(titles).toContain('Andir (32.73.05): 2');
    expect(titles).toContain('Sukasari (32.73.01): 1');
    expect(titles).toContain('Cibiru (32.73.25): 0');
    const text = visibleText(page.text);
    expect(text).toContain('Inovasi untuk seluruh kota (dihitung terpisah, tidak digambar per kecamatan): 1.');
    // One colour per count in the legend: 0, 1, 2.
    expect(visibleText(/<svg[\s\S]*?<\/svg>/.exec(/<figure class="map"[\s\S]*?<\/figure>/.exec(page.text)![0])![0])).toMatch(/^Inovasi per kecamatan 0 1 2 /);
    // The table fallback has the same counts.
    expect(text).toMatch(/32\.73\.02 Coblong 2/);
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
  });

  test('follows the filters: one topic, one OPD', async () => {
    const transport = areaTitles((await server.get('/badami?view=map&topic=transportasi')).text);
    expect(transport).toContain('Sukasari (32.73.01): 1');
    expect(transport).toContain('Coblong (32.73.02): 0');
    const dinkes = await server.get('/badami?view=map&opd=dinkes&lang=en');
    const titles = areaTitles(dinkes.text);
    expect(titles).toContain('Coblong (32.73.02): 2');
    expect(titles).toContain('Andir (32.73.05): 1');
    expect(visibleText(dinkes.text)).toContain('Innovations serving the whole city (counted apart, not drawn per district): 0.');
  });
});

describe('dashboards', () => {
  test('the city dashboard shows what was seeded: stages, moves, health per OPD, KPI attainment, overdue milestones', async () => {
    const page = await server.get('/badami/dashboard');
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('5 Jumlah inovasi');
    expect(chartText(page.text, 'funnel')).toContain('Ide 1 Inisiatif 1 Uji coba 1 Penerapan 1 Replikasi 0 Dihentikan 1');
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    // Five registrations (two at Ide) and one move Ide → Inisiatif, all this month.
    expect(chartText(page.text, 'movement')).toContain(`${month} Ide 2 ${month} Inisiatif 1 ${month} Uji coba 1 ${month} Penerapan 1 ${month} Dihentikan 1`);
    const health = chartText(page.text, 'health');
    expect(health).toContain('Dinas Kesehatan Berisiko 1');
    expect(health).toContain('Dinas Kesehatan Sesuai rencana 1');
    expect(health).toContain('Dinas Perhubungan Sesuai rencana 2');
    expect(health).toContain('Dinas Lingkungan Hidup Dihentikan 1');
    const kpi = chartText(page.text, 'kpi');
    expect(kpi).toContain('Target tercapai (≥ 100%) 1 50–99% 1 0–49% 0 Menjauhi target (< 0%) 0 Belum diukur 1');
    expect(kpi).toContain('Rata-rata capaian KPI yang sudah diukur: 75%.');
    expect(chartText(page.text, 'overdue')).toContain('Dinas Kesehatan 1');
    expect(text).toContain('Pelatihan kader Inovasi vA Dinas Kesehatan 2020-01-31');
    // Every chart is a named picture with its words.
    expect([...page.text.matchAll(/<svg[^>]*role="img"[^>]*>\s*<title>/g)]).toHaveLength(5);
  });

  test('the dashboard agrees with the board about health (one derived in SQL, the other in JavaScript)', async () => {
    const board = await server.get('/badami?view=table&health=at_risk');
    expect(visibleText(board.text)).toContain('1 inovasi');
    expect(visibleText(board.text)).toContain('Inovasi vA');
  });

  test('one OPD’s dashboard counts only its innovations; an unknown OPD is 404', async () => {
    const page = await server.get('/badami/dashboard?opd=dinkes&lang=en');
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('Innovation dashboard: Health Agency');
    expect(text).toContain('2 Innovations');
    expect(chartText(page.text, 'funnel')).toContain('Idea 1 Initiative 0 Trial 1');
    expect(chartText(page.text, 'kpi')).toContain('Mean attainment of the measured KPIs: 75%.');
    expect(chartText(page.text, 'health')).not.toContain('Transportation');
    const missing = await server.get('/badami/dashboard?opd=tidak-ada');
    expect(missing.status).toBe(404);
    expect(visibleText(missing.text)).toContain('Perangkat daerah “tidak-ada” tidak dikenal.');
  });

  test('the board links to the dashboard', async () => {
    expect((await server.get('/badami')).text).toContain('href="/badami/dashboard"');
    expect((await server.get('/badami?opd=dishub')).text).toContain('href="/badami/dashboard?opd=dishub"');
  });
});

describe('Atom feeds per innovation and per OPD', () => {
  test('are well-formed Atom (an independent parser) holding only their own updates and moves; unknown ones are 404', async () => {
    const read = async (path: string) => {
      const feed = await server.get(path);
      expect(feed.status).toBe(200);
      expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const check = spawnSync('python3', ['-c', ATOM_CHECK], { input: feed.text, encoding: 'utf8' });
      expect(check.stderr).toBe('');
      return JSON.parse(check.stdout) as { self: string; entries: string[] };
    };
    const one = await read('/badami/innovations/va/feed.xml');
    expect(one.entries).toEqual(['Inovasi vA: Kader dilatih']);
    expect(one.self).toMatch(/\/badami\/innovations\/va\/feed\.xml$/);
    const dishub = await read('/badami/feed.xml?opd=dishub');
    expect(dishub.entries.sort()).toEqual(['Inovasi vE: Ide → Inisiatif', 'Inovasi vE: Rute baru']);
    expect(dishub.self).toMatch(/\/badami\/feed\.xml\?opd=dishub$/);
    const city = await read('/badami/feed.xml');
    expect(city.entries.sort()).toEqual(['Inovasi vA: Kader dilatih', 'Inovasi vE: Ide → Inisiatif', 'Inovasi vE: Rute baru']);
    expect((await server.get('/badami/feed.xml?opd=tidak-ada')).status).toBe(404);
    expect((await server.get('/badami/innovations/tidakada/feed.xml')).status).toBe(404);
    expect((await server.get('/badami/innovations/va')).text).toContain('href="/badami/innovations/va/feed.xml"');
  });
});

describe('after a write', () => {
  test('an official moves an innovation on the board; the dashboard, the map and the feeds show it at once', async () => {
    const official = new Client(server.url);
    await official.logIn(OFFICIAL.email, OFFICIAL.password);
    const before = await server.get('/badami/dashboard');
    expect(chartText(before.text, 'funnel')).toContain('Penerapan 1 Replikasi 0');
    const moved = await official.post('/badami?_action=badami.move', { id: 'vc', from: 'penerapan', to: 'replikasi', note: 'Direplikasi di kota tetangga.' });
    expect(moved.status).toBe(200);
    const after = await server.get('/badami/dashboard');
    expect(chartText(after.text, 'funnel')).toContain('Penerapan 0 Replikasi 1');
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    expect(chartText(after.text, 'movement')).toContain(`${month} Replikasi 1`);
    expect(chartText((await server.get('/badami/dashboard?opd=dishub')).text, 'funnel')).toContain('Penerapan 0 Replikasi 1');
    expect(visibleText((await server.get('/badami?view=map&stage=replikasi')).text)).toContain('(dihitung terpisah, tidak digambar per kecamatan): 1.');
    const feed = await server.get('/badami/feed.xml?opd=dishub');
    expect(feed.text).toContain('Inovasi vC: Penerapan → Replikasi');
  });
});

const ATOM_CHECK = `
import sys, json, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.fromstring(sys.stdin.read().encode('utf-8'))
assert root.tag == A + 'feed', root.tag
for name in ('id', 'title', 'updated'):
    assert root.find(A + name) is not None and root.find(A + name).text, 'feed ' + name
assert root.find(A + 'author/' + A + 'name').text
self = [l.get('href') for l in root.findall(A + 'link') if l.get('rel') == 'self']
assert len(self) == 1
entries = []
for e in root.findall(A + 'entry'):
    for name in ('id', 'title', 'updated'):
        assert e.find(A + name) is not None and e.find(A + name).text, 'entry ' + name
    assert e.find(A + 'link').get('href').startswith('http')
    entries.append(e.find(A + 'title').text)
print(json.dumps({'self': self[0], 'entries': entries}))
`;
