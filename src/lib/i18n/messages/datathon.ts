import { events } from './datathon/events.ts';
import { teams } from './datathon/teams.ts';
import { ideas } from './datathon/ideas.ts';
import { gallery } from './datathon/gallery.ts';
import { judging } from './datathon/judging.ts';
import { organise } from './datathon/organise.ts';
import { errors } from './datathon/errors.ts';
import { notifications } from './datathon/notifications.ts';

/**
 * The datathon's messages, one file per page or concern under ./datathon (the keys are those of the single file they
 * were split from): events, teams, ideas, gallery, judging, organise, errors, notifications.
 */
const parts = [events, teams, ideas, gallery, judging, organise, errors, notifications];

export const datathon = {
  id: Object.assign({}, ...parts.map((p) => p.id)) as Record<string, string>,
  en: Object.assign({}, ...parts.map((p) => p.en)) as Record<string, string>,
};
