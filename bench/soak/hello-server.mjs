// The baseline: a bare Fastify hello-world in its own process, loaded by the same generator as the UI.
import Fastify from 'fastify';

const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening at ${url}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
