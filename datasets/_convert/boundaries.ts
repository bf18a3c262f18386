/**
 * Reference boundaries of Kota Bandung as GeoJSON, from the mirrored SQL inserts (datasets/batas-kelurahan/
 * SOURCE.md):
 *
 *   node_modules/.bin/node datasets/_convert/boundaries.ts
 *
 * - batas-kelurahan.geojson: the 151 kelurahan. The SQL stores each polygon as text `[[[lat, lng], …]]`;
 *   GeoJSON wants [lng, lat], so every pair is swapped. Coordinates are rounded to 6 decimals (about 0.1 m, as
 *   RFC 7946 suggests); rings are closed where the source leaves them open.
 * - batas-kecamatan.geojson: the 30 kecamatan, dissolved from their kelurahan (the code's first three parts,
 *   32.73.xx). No spatial extension is available offline, so the union is done here with polyclip-ts. The source
 *   polygons are simplified and neighbours leave slivers between them; holes and islands under 1% of the
 *   kecamatan's largest part are dropped. Names are the Kemendagri names of the real density file, in title case.
 *
 * Deterministic: running it again writes the same bytes (a test compares).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { union, type Geom } from 'polyclip-ts';

type Ring = [number, number][];

const root = path.resolve(import.meta.dirname, '..');
const SQL = path.join(root, 'batas-kelurahan/wilayah_boundaries_kel_32.73.sql');
const NAMES = path.join(root, 'kepadatan-penduduk-kecamatan/kepadatan_penduduk.csv');

export interface Kelurahan {
  kode: string;
  nama: string;
  lat: number;
  lng: number;
  ring: Ring;
}

const ROW = /\('(32\.73\.\d{2}\.\d{4})','((?:[^']|'')*)',(-?[\d.]+),(-?[\d.]+),'(\[\[\[[^']*\]\]\])'\)/g;

export function parseKelurahan(sql: string): Kelurahan[] {
  return [...sql.matchAll(ROW)].map(([, kode, nama, lat, lng, path]) => {
    const rings = JSON.parse(path!) as [number, number][][];
    const ring: Ring = rings[0]!.map(([la, ln]) => [round(ln), round(la)]);
    const [first, last] = [ring[0]!, ring.at(-1)!];
    if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
    return { kode: kode!, nama: nama!.replaceAll("''", "'"), lat: Number(lat), lng: Number(lng), ring };
  });
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Kemendagri kecamatan code → name, from the real density file ("ASTANA ANYAR" → "Astana Anyar"). */
export function kecamatanNames(csv: string): Map<string, string> {
  const names = new Map<string, string>();
  const [header, ...lines] = csv.split(/\r?\n/).filter(Boolean);
  const columns = header!.split(',');
  const code = columns.indexOf('KODE_KEC');
  const name = columns.indexOf('kemendagri_nama_kecamatan');
  for (const line of lines) {
    const cells = line.split(',');
    names.set(cells[code]!, cells[name]!.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase()));
  }
  return names;
}

function featureCollection(features: unknown[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features }, null, 0).replace(/\},\{"type":"Feature"/g, '},\n{"type":"Feature"') + '\n';
}

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return Math.abs(sum) / 2;
}

/** The union of the kelurahan rings, without the slivers that simplified neighbours leave. */
export function dissolve(rings: Ring[]): Geom {
  const [first, ...rest] = rings.map((r) => [r] as Geom);
  const merged = union(first!, ...rest) as Ring[][];
  const largest = Math.max(...merged.map((polygon) => ringArea(polygon[0]!)));
  const round6 = (polygon: Ring[]) => polygon.map((ring) => ring.map(([x, y]) => [round(x), round(y)] as [number, number]));
  return merged
    .filter((polygon) => ringArea(polygon[0]!) >= largest * 0.01)
    .map((polygon) => round6([polygon[0]!, ...polygon.slice(1).filter((hole) => ringArea(hole) >= largest * 0.01)]));
}

export function convert(): { kelurahan: string; kecamatan: string } {
  const kelurahan = parseKelurahan(readFileSync(SQL, 'utf8'));
  const names = kecamatanNames(readFileSync(NAMES, 'utf8'));
  const kelurahanJson = featureCollection(
    kelurahan.map((k) => ({
      type: 'Feature',
      properties: { kode_kelurahan: k.kode, nama_kelurahan: k.nama, kode_kecamatan: k.kode.slice(0, 8), nama_kecamatan: names.get(k.kode.slice(0, 8)) ?? null, lat: k.lat, lng: k.lng },
      geometry: { type: 'Polygon', coordinates: [k.ring] },
    })),
  );
  const codes = [...new Set(kelurahan.map((k) => k.kode.slice(0, 8)))].sort();
  const kecamatanJson = featureCollection(
    codes.map((code) => {
      const members = kelurahan.filter((k) => k.kode.startsWith(`${code}.`));
      const polygons = dissolve(members.map((k) => k.ring)) as Ring[][];
      return {
        type: 'Feature',
        properties: { kode_kecamatan: code, nama_kecamatan: names.get(code) ?? null, jumlah_kelurahan: members.length },
        geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
      };
    }),
  );
  return { kelurahan: kelurahanJson, kecamatan: kecamatanJson };
}

if (import.meta.main) {
  const { kelurahan, kecamatan } = convert();
  writeFileSync(path.join(root, 'batas-kelurahan/batas-kelurahan.geojson'), kelurahan);
  writeFileSync(path.join(root, 'batas-kecamatan/batas-kecamatan.geojson'), kecamatan);
  console.log('wrote datasets/batas-kelurahan/batas-kelurahan.geojson and datasets/batas-kecamatan/batas-kecamatan.geojson');
}
