const { EmbeddedReadStore } = require('/work/main/dist/libs/read-store/src/index.js');
const { AnalyticsQueries } = require('/work/main/dist/apps/query/src/analytics/analytics.queries.js');
const { usageAnalyticsProjection: p } = require('/work/main/dist/apps/query/src/analytics/usage-analytics.projection.js');
const { synthesize, ACCOUNT } = require('/work/main/dist/bench/usage-synth.js');
const fs = require('fs');
(async () => {
  const file = '/tmp/mb/q50k.sqlite';
  const fresh = !fs.existsSync(file);
  const store = await EmbeddedReadStore.open(file);
  for (const i of p.indexes) await store.ensureIndex(i.collection, i.fields);
  if (fresh) {
    let batch = [];
    for (const e of synthesize({ sessions: Number(process.env.N || 50000), users: 1000, checkouts: 2000, from: '2025-01-01T00:00:00.000Z', days: 365 })) {
      batch.push(e); if (batch.length === 500) { await store.commit('b', e.position, batch.flatMap((x) => p.project(x))); batch = []; }
    }
    if (batch.length) await store.commit('b', batch[batch.length-1].position, batch.flatMap((x) => p.project(x)));
    console.log('built'); return;
  }
  const q = new AnalyticsQueries(store);
  const run = async (name, f) => { for (let i = 0; i < 3; i++) { const t = performance.now(); const r = await f(); console.log(name, (performance.now() - t).toFixed(1), r.length); } };
  const from = '2025-01-01T00:00:00Z', to = '2026-01-01T00:00:00Z';
  await run('find range', () => store.find('usageDays', { pool: ACCOUNT + '|AECOsim', day: { $gte: '2025-01-01', $lt: '2026-01-01' } }, { sort: { day: 1 } }));
  await run('find plain', () => store.find('usageDays', { pool: ACCOUNT + '|AECOsim' }));
  await run('find carry', () => store.find('usageDays', { pool: ACCOUNT + '|AECOsim', day: { $lt: '2025-01-01' }, l: { $exists: true } }, { sort: { day: -1 }, limit: 1 }));
  await run('PRODUCT', () => q.usageReport({ accountId: ACCOUNT, from, to, groupBy: ['PRODUCT'] }));
  await run('USER', () => q.usageReport({ accountId: ACCOUNT, from, to, groupBy: ['USER'] }));
  await run('conc', () => q.concurrency(ACCOUNT, 'AECOsim', from, to, 'HOUR'));
})();
