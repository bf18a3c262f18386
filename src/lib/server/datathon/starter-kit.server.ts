import { PassThrough, type Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { deployment } from '../config/deployment.ts';
import { materialize } from '../export/materialize.ts';
import { versionDataPath } from '../lake/read.ts';
import { getChallenge } from './challenges.ts';
import { openDatasets } from './datasets.ts';
import { getEvent } from './events.ts';
import { dictionaryCsv, dictionaryFile, kitFile, notebook, readme, rScript } from './starter-kit.ts';

const WHOLE = { filters: [], sort: null, q: null, fields: null };

/**
 * A challenge's starter kit as a zip stream: each suggested dataset at its current version as Parquet (the lake's
 * own file) and CSV (the cached whole-version export), its dictionary, the README, notebook and R script. Null when
 * the challenge is unknown. Datasets that stopped being open are left out (the README lists what is in).
 */
export async function starterKit(challengeId: string, origin: string): Promise<{ stream: Readable; filename: string } | null> {
  const challenge = await getChallenge(challengeId);
  if (!challenge) return null;
  const event = (await getEvent(challenge.event_id))!;
  const { found } = await openDatasets(challenge.datasets);
  const files = await Promise.all(
    found.map(async (m) => {
      const csv = await materialize({ dataset: m.dataset, version: m.version, fields: m.schema.fields }, WHOLE, 'csv');
      await csv.done;
      return { manifest: m, parquet: versionDataPath(m.dataset, m.version), csv: csv.finalFile };
    }),
  );
  const kit = { title: challenge.title, problem: challenge.problem, eventTitle: event.title };
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  zip.on('error', (error: Error) => out.destroy(error));
  zip.pipe(out);
  const folder = `starter-kit-${challenge.id}`;
  zip.append(readme(kit, found, deployment().city.portal_name, origin), { name: `${folder}/README.md` });
  zip.append(notebook(kit, found), { name: `${folder}/starter.ipynb` });
  zip.append(rScript(kit, found), { name: `${folder}/starter.R` });
  for (const f of files) {
    zip.file(f.parquet, { name: `${folder}/${kitFile(f.manifest.dataset, 'parquet')}` });
    zip.file(f.csv, { name: `${folder}/${kitFile(f.manifest.dataset, 'csv')}` });
    zip.append(dictionaryCsv(f.manifest), { name: `${folder}/${dictionaryFile(f.manifest.dataset)}` });
  }
  void zip.finalize();
  return { stream: out, filename: `${folder}.zip` };
}
