import { qualityScore, type QualityScore } from '../catalog/quality.ts';
import type { Manifest } from '../lake/manifest.ts';

/** The dataset's metadata quality score, the same the catalog badge shows. */
export function qualityOf(manifest: Manifest): QualityScore {
  return qualityScore(manifest);
}
