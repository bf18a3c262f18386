/** What the datathon tells people (`notify.<kind>`, kinds in server/datathon/notification-kinds.ts). */
export const notifications = {
  id: {
    'notify.datathon.team_join': '{actor} bergabung dengan tim Anda {team} di {subject}',
    'notify.datathon.team_join.label': 'Anggota baru di tim Anda',
    'notify.datathon.results': 'Hasil {subject} sudah diumumkan',
    'notify.datathon.results.label': 'Pengumuman hasil datathon',
    'notify.datathon.phase_change': '{subject} memasuki tahap baru',
    'notify.datathon.phase_change.label': 'Tahap baru acara datathon (yang Anda ikuti atau ikuti kabarnya)',
    'notify.datathon.phase_change.registration': '{subject}: pendaftaran tim dibuka',
    'notify.datathon.phase_change.submission': '{subject}: pengumpulan ide dibuka',
    'notify.datathon.phase_change.voting': '{subject}: pengumpulan ide ditutup, pemungutan suara publik dibuka',
    'notify.datathon.phase_change.judging': '{subject}: pemungutan suara ditutup, penjurian dimulai',
    'notify.datathon.phase_change.results': '{subject}: tahap pengumuman dimulai, panitia segera mengumumkan hasil',
  },
  en: {
    'notify.datathon.team_join': '{actor} joined your team {team} in {subject}',
    'notify.datathon.team_join.label': 'New members of your team',
    'notify.datathon.results': 'The results of {subject} are out',
    'notify.datathon.results.label': 'Datathon results',
    'notify.datathon.phase_change': '{subject} entered a new phase',
    'notify.datathon.phase_change.label': 'A new phase of a datathon event (you take part in or follow)',
    'notify.datathon.phase_change.registration': '{subject}: team registration is open',
    'notify.datathon.phase_change.submission': '{subject}: idea submission is open',
    'notify.datathon.phase_change.voting': '{subject}: submissions are closed and public voting is open',
    'notify.datathon.phase_change.judging': '{subject}: voting is closed and judging has begun',
    'notify.datathon.phase_change.results': '{subject}: the results phase has begun; the organisers will announce the winners soon',
  },
};
