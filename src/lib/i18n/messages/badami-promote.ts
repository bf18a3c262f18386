/**
 * Part C of Badami: "promote to Badami" (an awarded datathon idea becomes a Badami innovation,
 * src/lib/server/badami/promote.ts) and the board's "see all" link per column.
 */
export const badamiPromote = {
  id: {
    'badami.promote.heading': 'Inkubasi di Badami',
    'badami.promote.lead': 'Jadikan ide ini inovasi di papan Badami (tahap Ide). Pengajuan ini menjadi asal inovasi dan awal perjalanannya.',
    'badami.promote.opd': 'Perangkat daerah pemilik',
    'badami.promote.affair': 'Urusan pemerintahan',
    'badami.promote.submit': 'Promosikan ke Badami',
    'badami.promote.done': 'Ide ini kini menjadi inovasi di Badami.',
    'badami.promote.incubated': 'Diinkubasi di Badami:',
    'badami.promote.from': 'Lihat pengajuan datathon',
    'badami.promote.error.not_found': 'Hanya ide yang mendapat penghargaan dan hasilnya sudah diumumkan yang dapat dipromosikan ke Badami.',
    'badami.promote.error.forbidden': 'Hanya panitia acara ini dan admin yang boleh mempromosikan ide ke Badami.',
    'badami.promote.error.conflict': 'Ide ini sudah dipromosikan menjadi inovasi “{title}” ({id}); tidak dibuat inovasi kedua.',
    'badami.promote.error.invalid': 'Periksa isian yang ditandai.',
    'badami.promote.error.other': 'Ide ini tidak dapat dipromosikan.',
    'badami.column.all': 'Lihat semua {n} di tabel',
  },
  en: {
    'badami.promote.heading': 'Incubate on Badami',
    'badami.promote.lead': 'Make this idea an innovation on the Badami board (stage Idea). This submission becomes its origin and the start of its history.',
    'badami.promote.opd': 'Owning agency',
    'badami.promote.affair': 'Government affair',
    'badami.promote.submit': 'Promote to Badami',
    'badami.promote.done': 'This idea is now an innovation on Badami.',
    'badami.promote.incubated': 'Incubated on Badami:',
    'badami.promote.from': 'See the datathon submission',
    'badami.promote.error.not_found': 'Only ideas with an award whose results have been published can be promoted to Badami.',
    'badami.promote.error.forbidden': 'Only this event’s organisers and admins may promote an idea to Badami.',
    'badami.promote.error.conflict': 'This idea was already promoted to the innovation “{title}” ({id}); no second innovation was made.',
    'badami.promote.error.invalid': 'Check the marked fields.',
    'badami.promote.error.other': 'This idea cannot be promoted.',
    'badami.column.all': 'See all {n} in the table',
  },
};
