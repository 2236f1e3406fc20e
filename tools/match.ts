/** `npm run match`: see match-run.ts for what it does. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runMatch, UsageError } from './match-run';

function main(): void {
  const { values } = parseArgs({
    options: {
      library: { type: 'string' },
      queries: { type: 'string' },
      pairs: { type: 'string' },
      out: { type: 'string' },
      'window-days': { type: 'string' },
      level: { type: 'string' },
    },
  });
  if (!values.library || !values.out) {
    throw new UsageError('usage: npm run match -- --library FILE (--queries FILE | --pairs FILE) --out FILE [--window-days N] [--level 1-5]');
  }
  const started = performance.now();
  const out = runMatch({
    library: values.library,
    queries: values.queries,
    pairs: values.pairs,
    windowDays: values['window-days'] === undefined ? undefined : Number(values['window-days']),
    level: values.level === undefined ? undefined : Number(values.level),
  });
  writeFileSync(values.out, out.length ? `${out.join('\n')}\n` : '');
  process.stderr.write(`wrote ${out.length} lines to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof UsageError ? error.message : (error as Error).stack}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
