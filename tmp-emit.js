require('./dist/tools/register-aliases.js');
const { Queue } = require('bullmq');
const { MessageProducer, AuditEmitter, redisOptionsFromUrl } = require('@roster/platform');
const c = require('@roster/contracts');
const { diffUser } = require('@roster/directory');
const N = 20000;
const prefix = 'tmpemit' + Date.now();
const conn = redisOptionsFromUrl('redis://127.0.0.1:6379');
const eq = new Queue(c.QueueName.AssignmentChanges, { connection: conn, prefix });
const aq = new Queue(c.QueueName.AuditRecords, { connection: conn, prefix });
const events = new MessageProducer(c.QueueName.AssignmentChanges, eq);
const audit = new AuditEmitter(new MessageProducer(c.QueueName.AuditRecords, aq), 'directory-watcher');
const snap = (i) => ({ id: 'u' + i, state: 'present', accountEnabled: true, attributes: {userPrincipalName:`user${i}@contoso.com`, givenName:'A'+i, surname:'B', mail:`user${i}@contoso.com`, displayName:'A B', jobTitle:'x', department:'y', objectId:'u'+i}, assignments:[{kind:'direct', appRoleId:'r1'}], groups: [] });
function mkEvents(from, n) { const out=[]; for (let i=from;i<from+n;i++){ const s=snap(i); const d=diffUser(null,s,{includeDefaultAccess:false}); const key=`job/${i}`; out.push({version:1, idempotencyKey:key, correlationId:key, provisioningJobId:'gotomeeting', occurredAt:new Date().toISOString(), source:{kind:'entra',order:String(i),cycle:'1'}, user:{id:s.id, attributes:s.attributes}, groups:[], ...d.event}); } return out; }
function recs(evs){ return evs.map(e=>({provisioningJobId:'gotomeeting', correlationId:e.correlationId, messageId:e.idempotencyKey, action:'Import', step:'computed', status:'success', reason:`directory change: ${e.type}`, source:{id:e.user.id}, details:{event:e.type, order:e.source.order, cycle:1}})); }
(async () => {
  await eq.waitUntilReady(); await aq.waitUntilReady();
  await events.sendMany(mkEvents(0, 1000)); await audit.recordMany(recs(mkEvents(0,1000)));
  const parts = {};
  const time = async (k, f) => { const c0 = process.cpuUsage(); const r = await f(); const u = process.cpuUsage(c0); parts[k] = (parts[k]||0) + (u.user+u.system)/1000; return r; };
  for (let p = 1; p <= N/1000; p++) {
    const evs = await time('build+diff', () => mkEvents(p*1000, 1000));
    await time('events', () => events.sendMany(evs));
    await time('audit', () => audit.recordMany(recs(evs)));
  }
  for (const k in parts) console.log(k, (parts[k]/N*1000).toFixed(1), 'us/user');
  await eq.obliterate({force:true}); await aq.obliterate({force:true});
  await eq.close(); await aq.close();
})();
setTimeout(async () => {
  const q = new Queue('x', { connection: conn, prefix: prefix + 'b' });
  await q.waitUntilReady();
  const evs = mkEvents(0, 1000);
  const { jobOptions } = require('/work/main/dist/libs/platform/src/queue/job-options.js');
  const t = async (k, f) => { const c0 = process.cpuUsage(); const w0 = Date.now(); for (let r = 0; r < 5; r++) await f(r); const u = process.cpuUsage(c0); console.log(k, ((u.user + u.system) / 5000 / 1000 * 1000).toFixed(1), 'us/job cpu', ((Date.now()-w0)/5).toFixed(0), 'ms wall/1000'); };
  await t('zod', async () => evs.forEach(e => c.parseContract('x', c.assignmentChangeEventSchema, e)));
  await t('addBulk full opts', async (r) => q.addBulk(evs.map(e => ({ name: e.type, data: e, opts: jobOptions('assignment-changes', e.idempotencyKey + 'a' + r) }))));
  await t('addBulk jobId only', async (r) => q.addBulk(evs.map(e => ({ name: e.type, data: e, opts: { jobId: e.idempotencyKey + 'b' + r } }))));
  await t('addBulk no opts', async (r) => q.addBulk(evs.map(e => ({ name: e.type, data: e }))));
  await t('addBulk tiny data', async (r) => q.addBulk(evs.map(e => ({ name: e.type, data: {a:1}, opts: { jobId: e.idempotencyKey + 'c' + r } }))));
  await t('JSON.stringify', async () => evs.forEach(e => JSON.stringify(e)));
  await q.obliterate({ force: true }); await q.close();
}, 3000);
