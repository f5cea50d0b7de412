import Fastify from 'fastify';
import mp from '@fastify/multipart';
const app = Fastify();
await app.register(mp);
app.post('/u', async (req) => {
  const got = [];
  for await (const part of req.parts()) { got.push(part.type + ':' + part.fieldname); if (part.type==='file') part.file.resume(); }
  console.log('loop ended', got);
  return { got };
});
await app.listen({ port: 0, host: '127.0.0.1' });
const port = app.server.address().port;
const boundary='xyzb';
const n = Number(process.argv[2]);
const rows = Array.from({ length: n }, (_, i) => `OpenAI,sku${i},1M tokens,1.5,USD`).join('\n');
const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="quarter"\r\n\r\n2026-Q3\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''a%0D%0Ab.csv\r\nContent-Type: text/csv\r\n\r\n${rows}\r\n--${boundary}--\r\n`);
const ctl = AbortSignal.timeout(5000);
try { const r = await fetch(`http://127.0.0.1:${port}/u`, { method: 'POST', body: payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, signal: ctl }); console.log(r.status, await r.text()); } catch (e) { console.log('ERR', e.name); }
await app.close();
