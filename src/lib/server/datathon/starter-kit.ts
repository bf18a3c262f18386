import type { Manifest } from '../lake/manifest.ts';

/**
 * The text files of a challenge's starter kit, pure: a README citing each dataset's version, a data dictionary per
 * dataset, a Jupyter notebook (nbformat 4) and an R script that load the files by the names the zip gives them.
 * starter-kit.server.ts puts them in the zip beside the Parquet and CSV files.
 */
export interface KitChallenge {
  title: string;
  problem: string;
  eventTitle: string;
}

export const kitFile = (dataset: string, ext: 'parquet' | 'csv') => `data/${dataset}.${ext}`;
export const dictionaryFile = (dataset: string) => `dictionary/${dataset}.csv`;

export function citation(manifest: Manifest, portal: string, origin: string): string {
  const year = manifest.published_at.slice(0, 4);
  return `${portal} (${year}). ${manifest.metadata.title}, versi ${manifest.version}. ${origin}/datasets/${manifest.dataset}/versions/${manifest.version}`;
}

export function readme(challenge: KitChallenge, datasets: Manifest[], portal: string, origin: string): string {
  const lines = [
    `# ${challenge.title}`,
    '',
    `Starter kit — ${challenge.eventTitle}`,
    '',
    challenge.problem,
    '',
    '## Dataset',
    '',
  ];
  for (const m of datasets) {
    lines.push(
      `### ${m.metadata.title} (\`${m.dataset}\`)`,
      '',
      `- Versi / version: \`${m.version}\` (terbit ${m.published_at})`,
      `- Baris / rows: ${m.data.rows}`,
      `- Lisensi / licence: ${m.metadata.license}`,
      `- Sumber / source: ${m.metadata.source_attribution}`,
      m.metadata.synthetic ? '- Catatan: data sintetis (contoh), bukan data resmi / synthetic sample, not official data' : '- Data resmi / official data',
      `- Berkas / files: \`${kitFile(m.dataset, 'parquet')}\`, \`${kitFile(m.dataset, 'csv')}\`, kamus data \`${dictionaryFile(m.dataset)}\``,
      `- Kutip / cite: ${citation(m, portal, origin)}`,
      '',
    );
  }
  lines.push('## Mulai / start', '', '- Python: `jupyter notebook starter.ipynb` (pandas + pyarrow)', '- R: `Rscript starter.R` (base R; arrow for Parquet)', '');
  return lines.join('\n');
}

/** One row per column: name, type, title, unit, description. */
export function dictionaryCsv(manifest: Manifest): string {
  const cell = (v: string | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`;
  const rows = manifest.schema.fields.map((f) => [f.name, f.type, f.title, f.unit, f.description].map(cell).join(','));
  return ['name,type,title,unit,description', ...rows].join('\r\n') + '\r\n';
}

const variable = (dataset: string) => dataset.replace(/[^a-z0-9]+/g, '_');

export function notebook(challenge: KitChallenge, datasets: Manifest[]): string {
  const cell = (cell_type: 'markdown' | 'code', text: string) => ({
    cell_type,
    metadata: {},
    source: text.split('\n').map((line, i, all) => (i < all.length - 1 ? `${line}\n` : line)),
    ...(cell_type === 'code' ? { execution_count: null, outputs: [] } : {}),
  });
  const cells = [
    cell('markdown', `# ${challenge.title}\n\n${challenge.problem}`),
    cell('code', 'import pandas as pd'),
    ...datasets.flatMap((m) => [
      cell('markdown', `## ${m.metadata.title}\n\nVersi \`${m.version}\`, kamus data: \`${dictionaryFile(m.dataset)}\``),
      cell('code', `${variable(m.dataset)} = pd.read_parquet("${kitFile(m.dataset, 'parquet')}")\n# tanpa pyarrow: pd.read_csv("${kitFile(m.dataset, 'csv')}")\n${variable(m.dataset)}.head()`),
    ]),
  ];
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: cells.map((c, i) => ({ id: `cell-${i}`, ...c })),
  };
  return JSON.stringify(nb, null, 1);
}

export function rScript(challenge: KitChallenge, datasets: Manifest[]): string {
  const lines = [`# ${challenge.title}`, '# Base R reads the CSV files; with the arrow package, read_parquet() reads the Parquet ones.', ''];
  for (const m of datasets) {
    lines.push(
      `# ${m.metadata.title}, versi ${m.version}`,
      `${variable(m.dataset)} <- read.csv("${kitFile(m.dataset, 'csv')}", stringsAsFactors = FALSE)`,
      `# ${variable(m.dataset)} <- arrow::read_parquet("${kitFile(m.dataset, 'parquet')}")`,
      `head(${variable(m.dataset)})`,
      '',
    );
  }
  return lines.join('\n');
}
