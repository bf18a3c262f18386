import { admin } from './admin.ts';
import { auth } from './auth.ts';
import { badami } from './badami.ts';
import { badamiImport } from './badami-import.ts';
import { badamiManage } from './badami-manage.ts';
import { community } from './community.ts';
import { datathon } from './datathon.ts';

/** Every Astro Action, by domain. Actions are public at /_actions/<domain>.<name>: each handler authorises itself. */
export const server = { auth, admin, community, datathon, badami, badamiImport, badamiManage };
