/** kecamatan-bandung: the reference list of Bandung's 30 kecamatan (a public fact, not generated). */
import { csvLines, KECAMATAN, writeOut } from './lib.ts';

export function kecamatanBandung(): void {
  const rows = KECAMATAN.map((name, i) => [i + 1, name]);
  writeOut('kecamatan-bandung/kecamatan-bandung.csv', csvLines(['no', 'kecamatan'], rows, ','));
}
