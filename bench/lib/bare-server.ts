/**
 * The baseline of the HTTP part: a bare Fastify server in a process of its own that answers
 * GET or POST /bare/<name> with a fixed JSON body, the same size as the app's answer for that endpoint.
 * Sends `{ port }` to the parent over IPC once it listens; stops on SIGTERM.
 *
 *   node --import tsx bench/lib/bare-server.ts <bodies.json>   ({ "<name>": "<body>", … })
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

async function main(): Promise<void> {
  const bodies = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>));
  const bare = Fastify({ logger: false });
  const answer = async (req: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/json').send(bodies.get((req.params as { name: string }).name));
  bare.get('/bare/:name', answer);
  bare.post('/bare/:name', answer);
  const stop = async () => {
    await bare.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const address = bare.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port}`);
}

main().catch((err) => {
  console.error('[bench bare] failed to start:', err);
  process.exit(1);
});
