// `npm run bench -- <name>`: runs one benchmark (or all with no name) and prints its figures next to a baseline
// measured in the same run. Benchmarks are never part of `npm test`.
const benches: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('./ingest.ts')).run(),
  export: async () => (await import('./export.ts')).run(),
  http: async () => (await import('./http.ts')).run(),
  datathon: async () => (await import('./datathon.ts')).run(),
  hostile: async () => (await import('./hostile.ts')).run(),
  restart: async () => (await import('./restart.ts')).run(),
  store: async () => (await import('./store.ts')).run(),
  community: async () => (await import('./community.ts')).run(),
  badami: async () => (await import('./badami.ts')).run(),
  'badami-import': async () => (await import('./badami-import.ts')).run(),
};

const requested = process.argv[2];
const selected = requested ? [requested] : Object.keys(benches);
for (const key of selected) {
  const bench = benches[key];
  if (!bench) {
    console.error(`unknown benchmark "${key}"; available: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`== ${key}`);
  await bench();
}

export {};
